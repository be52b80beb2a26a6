package dev.imet.data;

import java.util.Arrays;
import java.util.Random;

/**
 * The image transforms of SPEC §4 and §6. Each crops at most {@code 2 * size} per side, resizes to
 * {@code size x size} (the aspect ratio is not kept, as in the reference) and normalises
 * {@code (x / 255 - mean) / std} into CHW floats.
 */
public final class Transforms {
    private Transforms() {}

    /**
     * Training augmentation: random crop of at most {@code 2 * size} per side; horizontal flip (p 0.5);
     * brightness or contrast ±10 % (p 0.3); shift ±10 % and rotation ±15° with a mirror border (p 0.3);
     * Gaussian noise with σ uniform in 2.55–12.75 on 0–255, independent per value (p 0.3). As in albumentations,
     * contrast multiplies the 0–255 values and brightness adds a fraction of 255; both, and the noise, act on the
     * resized output and are clipped to 0–255.
     */
    public static ImageTransform train(int size, float[] mean, float[] std) {
        return new PlannedTransform(size, mean, std, (image, rng) -> RenderPlan.train(image, size, rng));
    }

    /** Evaluation: the centred crop of at most {@code 2 * size} per side, resized; ignores {@code rng}. */
    public static ImageTransform eval(int size, float[] mean, float[] std) {
        return new PlannedTransform(size, mean, std, (image, rng) -> RenderPlan.centred(image, size, false));
    }

    /**
     * Test-time view {@code view} (0-based): 0 is {@link #eval}, 1 its exact mirror image, and every further
     * view a random training-style crop with a random mirror, shift and rotation. The randomness of a further
     * view comes from the caller's {@code rng} mixed with the view number, so callers may seed every view alike
     * (the {@link BatchLoader} seeds per image from seed and epoch) and still get different, reproducible views.
     */
    public static ImageTransform ttaView(int view, int size, float[] mean, float[] std) {
        if (view < 0) {
            throw new IllegalArgumentException("view must be 0 or more: " + view);
        }
        if (view <= 1) {
            boolean mirror = view == 1;
            return new PlannedTransform(size, mean, std, (image, rng) -> RenderPlan.centred(image, size, mirror));
        }
        return new PlannedTransform(size, mean, std, (image, rng) ->
                RenderPlan.extraView(image, size, new Random(Seeds.mix(rng.nextLong(), view))));
    }

    private interface Planner {
        RenderPlan plan(RgbImage image, Random rng);
    }

    private record PlannedTransform(int size, float[] mean, float[] std, Planner planner) implements ImageTransform {
        PlannedTransform {
            if (size < 1) {
                throw new IllegalArgumentException("size must be positive: " + size);
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

        @Override
        public float[] apply(RgbImage image, Random rng) {
            float[] out = new float[3 * size * size];
            applyInto(image, rng, out, 0);
            return out;
        }

        @Override
        public void applyInto(RgbImage image, Random rng, float[] out, int offset) {
            ImageRenderer.render(image, planner.plan(image, rng), size, mean, std, out, offset);
        }

        @Override
        public int outputSize() {
            return size;
        }
    }
}
