package dev.imet.data;

import java.util.Random;

/**
 * Everything one rendering of an image needs, drawn up front so that the pixels are produced in one pass
 * ({@link ImageRenderer}): a crop window of the source, resized to S x S, optionally mirrored, rotated about
 * the centre and shifted (reflecting at the window's edges), then contrast, brightness and noise.
 *
 * @param rotation radians; a positive angle turns the picture clockwise as seen on screen (y pointing down)
 * @param shiftX fraction of S the picture moves right
 * @param shiftY fraction of S the picture moves down
 * @param contrast multiplier of the 0..255 values (1 = unchanged)
 * @param brightness fraction of 255 added to every value (0 = unchanged)
 * @param noiseSigma standard deviation of additive Gaussian noise on 0..255 (0 = none)
 * @param noiseSeed seed of the noise
 */
record RenderPlan(int cropX, int cropY, int cropWidth, int cropHeight, boolean flip, double rotation,
                  double shiftX, double shiftY, double contrast, double brightness, double noiseSigma, long noiseSeed) {

    // The reference's augmentation (SPEC §4).
    static final double FLIP_P = 0.5;
    static final double PHOTOMETRIC_P = 0.3;
    static final double PHOTOMETRIC_LIMIT = 0.10;
    static final double SHIFT_ROTATE_P = 0.3;
    static final double SHIFT_LIMIT = 0.10;
    static final double ROTATE_LIMIT_DEGREES = 15;
    static final double NOISE_P = 0.3;
    static final double NOISE_SIGMA_MIN = 2.55;
    static final double NOISE_SIGMA_MAX = 12.75;

    /**
     * The crop rule: a side longer than {@code 2 * size} is cut to {@code 2 * size}, a shorter one is kept
     * whole. Each side is treated on its own (the window is not forced square), so the crop never discards
     * more than it must and the later resize to S x S stretches the same way for every image of a shape.
     */
    static int cropLength(int side, int size) {
        return Math.min(side, 2 * size);
    }

    /** The evaluation rendering: the centred crop, resized; nothing random. */
    static RenderPlan centred(RgbImage image, int size, boolean flip) {
        int cropWidth = cropLength(image.width(), size);
        int cropHeight = cropLength(image.height(), size);
        return new RenderPlan((image.width() - cropWidth) / 2, (image.height() - cropHeight) / 2, cropWidth,
                cropHeight, flip, 0, 0, 0, 1, 0, 0, 0);
    }

    /** The training augmentation of SPEC §4, each step with its own probability. */
    static RenderPlan train(RgbImage image, int size, Random rng) {
        int cropWidth = cropLength(image.width(), size);
        int cropHeight = cropLength(image.height(), size);
        int cropX = rng.nextInt(image.width() - cropWidth + 1);
        int cropY = rng.nextInt(image.height() - cropHeight + 1);
        boolean flip = rng.nextDouble() < FLIP_P;
        double contrast = 1;
        double brightness = 0;
        if (rng.nextDouble() < PHOTOMETRIC_P) {
            double change = uniform(rng, -PHOTOMETRIC_LIMIT, PHOTOMETRIC_LIMIT);
            if (rng.nextBoolean()) {
                brightness = change;
            } else {
                contrast = 1 + change;
            }
        }
        double rotation = 0;
        double shiftX = 0;
        double shiftY = 0;
        if (rng.nextDouble() < SHIFT_ROTATE_P) {
            shiftX = uniform(rng, -SHIFT_LIMIT, SHIFT_LIMIT);
            shiftY = uniform(rng, -SHIFT_LIMIT, SHIFT_LIMIT);
            rotation = Math.toRadians(uniform(rng, -ROTATE_LIMIT_DEGREES, ROTATE_LIMIT_DEGREES));
        }
        double noiseSigma = 0;
        long noiseSeed = 0;
        if (rng.nextDouble() < NOISE_P) {
            noiseSigma = uniform(rng, NOISE_SIGMA_MIN, NOISE_SIGMA_MAX);
            noiseSeed = rng.nextLong();
        }
        return new RenderPlan(cropX, cropY, cropWidth, cropHeight, flip, rotation, shiftX, shiftY, contrast,
                brightness, noiseSigma, noiseSeed);
    }

    /**
     * An extra test-time view: the training crop, a mirror with probability 1/2, and always a shift and a
     * rotation from the training ranges, so the view differs from the two evaluation views even when the whole
     * image fits in the crop. No colour changes or noise: they only blur the averaged prediction.
     */
    static RenderPlan extraView(RgbImage image, int size, Random rng) {
        int cropWidth = cropLength(image.width(), size);
        int cropHeight = cropLength(image.height(), size);
        int cropX = rng.nextInt(image.width() - cropWidth + 1);
        int cropY = rng.nextInt(image.height() - cropHeight + 1);
        boolean flip = rng.nextDouble() < FLIP_P;
        double shiftX = uniform(rng, -SHIFT_LIMIT, SHIFT_LIMIT);
        double shiftY = uniform(rng, -SHIFT_LIMIT, SHIFT_LIMIT);
        double rotation = Math.toRadians(uniform(rng, -ROTATE_LIMIT_DEGREES, ROTATE_LIMIT_DEGREES));
        return new RenderPlan(cropX, cropY, cropWidth, cropHeight, flip, rotation, shiftX, shiftY, 1, 0, 0, 0);
    }

    private static double uniform(Random rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }
}
