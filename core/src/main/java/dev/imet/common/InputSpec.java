package dev.imet.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * What a network takes as input: square images of {@code size} pixels, normalised per RGB channel as
 * {@code (x / 255 - mean) / std}. The model registry gives each architecture's default, {@code model.json} stores
 * the one a model was trained at, and the transforms produce it.
 */
public record InputSpec(
        @JsonProperty("size") int size,
        @JsonProperty("mean") float[] mean,
        @JsonProperty("std") float[] std) {
    public InputSpec {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be positive: " + size);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException(
                    "mean and std need 3 values: " + Arrays.toString(mean) + ", " + Arrays.toString(std));
        }
        for (float deviation : std) {
            if (!(deviation > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The same normalisation at another size. */
    public InputSpec withSize(int newSize) {
        return new InputSpec(newSize, mean, std);
    }

    /** Floats of one image: 3 x size x size. */
    public int imageLength() {
        return 3 * size * size;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec other && size == other.size && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return size + " px, mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
