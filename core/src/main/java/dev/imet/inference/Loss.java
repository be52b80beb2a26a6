package dev.imet.inference;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A training loss with its parameters: what train minimises and what validation reports.
 *
 * @param asymmetric the parameters of {@link LossKind#ASL} (its defaults when null); null for the other kinds
 */
public record Loss(LossKind kind, Losses.Asymmetric asymmetric) {
    public Loss {
        Objects.requireNonNull(kind, "kind");
        if (kind == LossKind.ASL && asymmetric == null) {
            asymmetric = Losses.Asymmetric.DEFAULT;
        } else if (kind != LossKind.ASL && asymmetric != null) {
            throw new IllegalArgumentException("asymmetric-loss parameters apply to the asl loss only, not "
                    + kind.name().toLowerCase());
        }
    }

    /** The loss with its default parameters. */
    public static Loss of(LossKind kind) {
        return new Loss(kind, null);
    }

    /** The loss of raw logits against (multi-hot or mixup-blended) targets, averaged over every element. */
    public NDArray compute(NDArray logits, NDArray targets) {
        return switch (kind) {
            case FOCAL -> Losses.focal(logits, targets, Losses.FOCAL_ALPHA, Losses.FOCAL_GAMMA);
            case BCE -> Losses.bce(logits, targets);
            case ASL -> Losses.asymmetric(logits, targets, asymmetric);
        };
    }
}
