package dev.imet.data;

import dev.imet.common.InputSpec;
import dev.imet.common.Seeds;
import java.util.Random;

/**
 * The image transforms of SPEC §4 and §6. Each crops at most {@code 2 * size} per side, resizes to
 * {@code size x size} (the aspect ratio is not kept, as in the reference) and normalises
 * {@code (x / 255 - mean) / std} into CHW floats, as the {@link InputSpec} says.
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
    public static ImageTransform train(InputSpec input) {
        int size = input.size();
        return new PlannedTransform(input, (image, rng) -> RenderPlan.train(image, size, rng));
    }

    /**
     * Test-time view {@code view} (0-based): 0 is the evaluation transform (the centred crop of at most
     * {@code 2 * size} per side, resized; it ignores {@code rng}), 1 its exact mirror image, and every further
     * view a random training-style crop with a random mirror, shift and rotation. The randomness of a further
     * view comes from the caller's {@code rng} mixed with the view number, so callers may seed every view alike
     * (the {@link BatchLoader} seeds per image from seed and epoch) and still get different, reproducible views.
     */
    public static ImageTransform ttaView(int view, InputSpec input) {
        if (view < 0) {
            throw new IllegalArgumentException("view must be 0 or more: " + view);
        }
        int size = input.size();
        if (view <= 1) {
            boolean mirror = view == 1;
            return new PlannedTransform(input, (image, rng) -> RenderPlan.centred(image, size, mirror));
        }
        return new PlannedTransform(input, (image, rng) ->
                RenderPlan.extraView(image, size, new Random(Seeds.mix(rng.nextLong(), view))));
    }

    private interface Planner {
        RenderPlan plan(RgbImage image, Random rng);
    }

    /** Renders each image by the plan its planner makes, then normalises it as the input says. */
    private record PlannedTransform(InputSpec input, Planner planner) implements ImageTransform {
        @Override
        public float[] apply(RgbImage image, Random rng) {
            float[] out = new float[input.imageLength()];
            applyInto(image, rng, out, 0);
            return out;
        }

        @Override
        public void applyInto(RgbImage image, Random rng, float[] out, int offset) {
            ImageRenderer.render(image, planner.plan(image, rng), input, out, offset);
        }

        @Override
        public int outputSize() {
            return input.size();
        }
    }
}
