package dev.imet.data;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Consecutive images of a pass, ready for the network.
 *
 * @param ids the image ids, in batch order
 * @param images {@code count() x 3 x size x size} floats, normalised, row-major
 * @param targets {@code count() x C} multi-hot floats (1 where the image has the label), or null without labels
 * @param size the side S of every image
 */
public record Batch(List<String> ids, float[] images, float[] targets, int size) {
    /** A label is on in about this share of a random batch's targets (iMet's images carry a few of 1,103). */
    static final double RANDOM_POSITIVE_RATE = 0.01;

    /**
     * A batch of {@code count} random images (standard normal pixels, as normalised images roughly are) and random
     * targets over {@code classes} labels, the same for the same seed: what the measurements run on.
     */
    public static Batch random(int count, int size, int classes, long seed) {
        Random random = new Random(seed);
        float[] images = new float[count * 3 * size * size];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        float[] targets = new float[count * classes];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = random.nextDouble() < RANDOM_POSITIVE_RATE ? 1f : 0f;
        }
        return new Batch(IntStream.range(0, count).mapToObj(Integer::toString).toList(), images, targets, size);
    }

    /** The number of images. */
    public int count() {
        return ids.size();
    }
}
