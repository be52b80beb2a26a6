package dev.imet.data;

import java.util.List;

/**
 * Consecutive images of a pass, ready for the network.
 *
 * @param ids the image ids, in batch order
 * @param images {@code count() x 3 x size x size} floats, normalised, row-major
 * @param targets {@code count() x C} multi-hot floats (1 where the image has the label), or null without labels
 * @param size the side S of every image
 */
public record Batch(List<String> ids, float[] images, float[] targets, int size) {
    /** The number of images. */
    public int count() {
        return ids.size();
    }
}
