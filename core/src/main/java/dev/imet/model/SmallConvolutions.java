package dev.imet.model;

import java.util.Locale;

/**
 * How training runs the k x k convolutions (k above 1, not grouped) whose output is at most {@link #MAX_POSITIONS}
 * positions: resnet18's and resnet50's last stage at 64 px (2 x 2), or at 32 px (1 x 1). There each output channel
 * sums over few positions and many weights, and oneDNN's direct convolution is slow, mostly in the backward pass
 * (resnet18, 64 px, batch 32, float32 on 2 AVX2 cores: 31 ms for one 3 x 3 layer's backward, against 7.5 ms for its
 * forward and 8 ms for the backward of a layer of the same work at 16 x 16). Unfolded into one matrix product
 * (the shifted windows of its input stacked, then {@code mm} over batch x positions), the same layer trains in about
 * half the time; at 4 x 4 the direct convolution is the faster again, and in inference it is the faster already at
 * 2 x 2. Which one wins
 * depends on the processor and the precision, so {@code auto} measures it with the memory format and precision
 * ({@code inference.ExecutionChooser}). Inference ({@link ForwardScript#INFER}) always runs direct.
 */
public enum SmallConvolutions {
    /** The engine's convolution everywhere. */
    DIRECT,
    /** The small convolutions as one matrix product over their input's stacked windows, in training. */
    MATMUL;

    /** The most output positions (height x width) of a convolution that {@link #MATMUL} unfolds. */
    public static final int MAX_POSITIONS = 4;

    /** The name on the command line and in config.json: "direct" or "matmul". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of a {@link #label()}. */
    public static SmallConvolutions ofLabel(String label) {
        for (SmallConvolutions s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("direct or matmul, not '" + label + "'");
    }

    /**
     * Whether {@code layout} at {@code imageSize} pixels has a convolution that {@link #MATMUL} unfolds: its last
     * stage's 3 x 3 convolutions, when they are not grouped and put out at most {@link #MAX_POSITIONS} positions.
     * Where none does, the two settings run the same operations.
     */
    public static boolean appliesTo(ResNetLayout layout, int imageSize) {
        if (layout.groups() != 1) {
            return false;
        }
        long side = ResNet.lastStageSide(imageSize);
        return side * side <= MAX_POSITIONS;
    }
}
