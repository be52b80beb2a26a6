package dev.imet.data;

import java.util.Random;

/**
 * Turns a decoded image into the network's input: {@code 3 x S x S} floats, channel-major (CHW), normalised
 * with the model's mean and standard deviation. Implementations are stateless and thread-safe; all randomness
 * comes from the {@code rng} argument, so a caller that seeds it reproducibly gets reproducible output.
 */
public interface ImageTransform {
    /** The transformed image as a new array of {@code 3 * S * S} floats. */
    float[] apply(RgbImage image, Random rng);

    /** S, the side of the square output. */
    int outputSize();

    /**
     * Writes the same values as {@link #apply} into {@code out} from {@code offset} on, so a batch can be
     * filled without a temporary array per image.
     */
    default void applyInto(RgbImage image, Random rng, float[] out, int offset) {
        float[] values = apply(image, rng);
        System.arraycopy(values, 0, out, offset, values.length);
    }
}
