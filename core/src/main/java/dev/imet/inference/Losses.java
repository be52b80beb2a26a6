package dev.imet.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The training losses of SPEC §4 on raw logits and multi-hot targets, averaged over every element. */
public final class Losses {
    /** The reference's focal loss parameters. */
    public static final double FOCAL_ALPHA = 0.5;
    public static final double FOCAL_GAMMA = 0.25;
    /** Where the focusing weights are kept from 0: their power's derivative is infinite there for exponents < 1. */
    private static final double WEIGHT_FLOOR = 1e-6;

    private Losses() {}

    /**
     * The parameters of the asymmetric loss: the focusing exponents of the positives and the negatives, and the
     * probability margin {@code clip} (m) by which the negatives' probabilities are shifted down; negatives with
     * p &lt; m add nothing.
     */
    public record Asymmetric(
            @JsonProperty("gamma_pos") double gammaPos,
            @JsonProperty("gamma_neg") double gammaNeg,
            @JsonProperty("clip") double clip) {
        /** The paper's defaults (and those of its official training code): γ+ 0, γ- 4, m 0.05. */
        public static final Asymmetric DEFAULT = new Asymmetric(0, 4, 0.05);

        public Asymmetric {
            if (!(gammaPos >= 0) || !(gammaNeg >= 0)) {
                throw new IllegalArgumentException("--asl-gamma-pos and --asl-gamma-neg must be 0 or more, got "
                        + gammaPos + ", " + gammaNeg);
            }
            if (!(clip >= 0 && clip < 1)) {
                throw new IllegalArgumentException("--asl-clip must be in [0, 1), got " + clip);
            }
        }
    }

    /** Binary cross-entropy with logits, in the numerically stable form max(x,0) - x*y + log(1 + exp(-|x|)). */
    public static NDArray bce(NDArray logits, NDArray targets) {
        return elementwiseBce(logits, targets).mean();
    }

    /**
     * Focal loss: alpha_t * (1 - p_t)^gamma * bce, where p_t = exp(-bce) is the probability given to the true
     * side. (1 - p_t) is clipped away from 0 because its power's derivative is infinite there for gamma < 1.
     */
    public static NDArray focal(NDArray logits, NDArray targets, double alpha, double gamma) {
        NDArray bce = elementwiseBce(logits, targets);
        NDArray oneMinusPt = bce.neg().exp().neg().add(constant(bce, 1)).clip(WEIGHT_FLOOR, 1.0);
        NDArray alphaT = targets.mul(constant(targets, 2 * alpha - 1)).add(constant(targets, 1 - alpha));
        return oneMinusPt.pow(constant(bce, gamma)).mul(alphaT).mul(bce).mean();
    }

    /**
     * The asymmetric loss (Ridnik et al., ICCV 2021) as its official code computes it, averaged over every element
     * rather than summed. With p = sigmoid(x) and the shifted negative probability p_m = max(p - m, 0):
     * <pre>
     *   loss = -(y log p + (1 - y) log(1 - p_m)) * (1 - p_t)^(γ+ y + γ- (1 - y)),   p_t = p y + (1 - p_m)(1 - y)
     * </pre>
     * so a positive weighs (1 - p)^γ+ · -log p and a negative p_m^γ- · -log(1 - p_m). Soft targets (mixup) go
     * through the same formula, as in the official code: one weight for both terms, its exponent and p_t blended by
     * y. The gradient flows through the weight, as in the official {@code AsymmetricLoss}. Where the official code
     * clamps probabilities at 1e-8 before the logarithm, log p and (for m = 0) log(1 - p) are taken here in the
     * stable log-sigmoid form, which agrees wherever the clamp does not bite and keeps a gradient beyond it.
     */
    public static NDArray asymmetric(NDArray logits, NDArray targets, Asymmetric parameters) {
        NDArray p = Activation.sigmoid(logits);
        NDArray antiTargets = targets.neg().add(constant(targets, 1));
        NDArray logPositive = softplus(logits.neg()).neg();
        NDArray negative; // 1 - p_m
        NDArray logNegative;
        if (parameters.clip() > 0) {
            negative = p.neg().add(constant(p, 1 + parameters.clip())).minimum(constant(p, 1));
            logNegative = negative.log();
        } else {
            negative = p.neg().add(constant(p, 1));
            logNegative = softplus(logits).neg();
        }
        NDArray logLikelihood = targets.mul(logPositive).add(antiTargets.mul(logNegative));
        if (parameters.gammaPos() == 0 && parameters.gammaNeg() == 0) {
            return logLikelihood.mean().neg();
        }
        NDArray pt = p.mul(targets).add(negative.mul(antiTargets));
        NDArray exponent = targets.mul(constant(targets, parameters.gammaPos()))
                .add(antiTargets.mul(constant(targets, parameters.gammaNeg())));
        NDArray weight = pt.neg().add(constant(pt, 1)).maximum(constant(pt, WEIGHT_FLOOR)).pow(exponent);
        return logLikelihood.mul(weight).mean().neg();
    }

    /** log(1 + exp(x)) in the stable form max(x, 0) + log(1 + exp(-|x|)). */
    private static NDArray softplus(NDArray x) {
        return x.maximum(constant(x, 0)).add(x.abs().neg().exp().add(constant(x, 1)).log());
    }

    private static NDArray elementwiseBce(NDArray x, NDArray y) {
        return x.maximum(constant(x, 0)).sub(x.mul(y)).add(x.abs().neg().exp().add(constant(x, 1)).log());
    }

    /**
     * {@code value} as a scalar array of {@code like}'s type, allocated by the engine. Every constant of these formulas
     * is one of these rather than a Java number ({@code x.maximum(0)}): DJL makes such a number an array over a Java
     * direct buffer and closes it at once, and where the operation keeps it for the backward pass (maximum, minimum,
     * pow, mul, div) the garbage collector may free and reuse that memory before the backward reads it, so that the
     * step's gradient is computed from whatever lies there then.
     */
    private static NDArray constant(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
