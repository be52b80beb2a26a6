package dev.imet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How a batch of images (N x C x H x W) lies in the engine's memory when it enters the network. The logical shape
 * and the values are the same either way; the layout decides which kernels run.
 *
 * <p>{@link #CHANNELS_LAST} (PyTorch's {@code torch.channels_last}: the C values of a pixel side by side) is what
 * oneDNN's convolutions work in, so a contiguous (NCHW) batch is reordered at every convolution, and batch norm and
 * pooling have faster channels-last kernels. Every operation of the networks keeps the layout of its input, so only
 * the input needs arranging. Neither is faster everywhere: on 2 cores channels-last is 7-17 % faster for resnet50 at
 * 320 px and 7 % slower for resnet18 at 64 px (docs/performance.md), so {@code --memory-format auto} (the default)
 * measures ({@code inference.ExecutionChooser}).
 */
public enum MemoryFormat {
    /** N x H x W x C in memory, seen as N x C x H x W. */
    CHANNELS_LAST,
    /** N x C x H x W in memory (PyTorch's default, {@code torch.contiguous_format}). */
    CONTIGUOUS;

    /** The name on the command line and in the benchmark's output: "channels-last" or "contiguous". */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format of a {@link #label()}. */
    public static MemoryFormat ofLabel(String label) {
        for (MemoryFormat format : values()) {
            if (format.label().equals(label)) {
                return format;
            }
        }
        throw new IllegalArgumentException("channels-last or contiguous, not '" + label + "'");
    }

    /**
     * The batch in this layout, as a new array of the same shape and values; {@code nchw} (contiguous) is left
     * as it is. The arrays live in {@code nchw}'s manager.
     */
    public NDArray arrange(NDArray nchw) {
        Shape shape = nchw.getShape();
        if (this == CONTIGUOUS || shape.dimension() != 4) {
            return nchw;
        }
        long n = shape.get(0);
        long c = shape.get(1);
        long h = shape.get(2);
        long w = shape.get(3);
        // The permuted view cannot be flattened without a copy, so reshape copies it into N x H x W x C order;
        // permuting that back gives the N x C x H x W view with channels-last strides.
        try (NDArray nhwcView = nchw.transpose(0, 2, 3, 1);
                NDArray flat = nhwcView.reshape(n, h * w * c);
                NDArray nhwc = flat.reshape(n, h, w, c)) {
            return nhwc.transpose(0, 3, 1, 2);
        }
    }
}
