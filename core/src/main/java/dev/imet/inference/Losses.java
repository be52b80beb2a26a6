package dev.imet.inference;

import ai.djl.ndarray.NDArray;

/** The training losses of SPEC §4 on raw logits and multi-hot targets, averaged over every element. */
public final class Losses {
    /** The reference's focal loss parameters. */
    public static final double FOCAL_ALPHA = 0.5;
    public static final double FOCAL_GAMMA = 0.25;

    private Losses() {}

    public static NDArray of(LossKind kind, NDArray logits, NDArray targets) {
        return kind == LossKind.FOCAL
                ? focal(logits, targets, FOCAL_ALPHA, FOCAL_GAMMA)
                : bce(logits, targets);
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
        NDArray oneMinusPt = bce.neg().exp().neg().add(1).clip(1e-6, 1.0);
        NDArray alphaT = targets.mul(2 * alpha - 1).add(1 - alpha);
        return oneMinusPt.pow(gamma).mul(alphaT).mul(bce).mean();
    }

    private static NDArray elementwiseBce(NDArray x, NDArray y) {
        return x.maximum(0).sub(x.mul(y)).add(x.abs().neg().exp().add(1).log());
    }
}
