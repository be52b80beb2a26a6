package dev.imet.model;

import java.util.Locale;

/**
 * The number type the network computes in. Either way the weights, the optimiser's state, the batch-norm statistics,
 * the loss and every file written are float32; only the forward pass's convolutions and matrix products differ.
 */
public enum Precision {
    /** Everything in float32. */
    FP32,
    /**
     * Convolutions and matrix products in bfloat16 on bfloat16 copies of the float32 weights, every other operation
     * in its input's type: what PyTorch's CPU autocast does (its lower-precision list is convolutions and matrix
     * products), so activations stay bfloat16 through batch norm, ReLU, pooling and the residual additions.
     */
    BF16;

    /** The name on the command line and in config.json: "fp32" or "bf16". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision of a {@link #label()}. */
    public static Precision ofLabel(String label) {
        for (Precision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("fp32 or bf16, not '" + label + "'");
    }
}
