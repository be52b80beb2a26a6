package dev.imet.common;

import java.util.random.RandomGenerator;

/** Seeded random orders, shared by the folds, the batch loader and mixup so that all shuffle the same way. */
public final class Permutations {
    private Permutations() {}

    /** A uniformly random permutation of 0..size-1 (Fisher-Yates, drawing from the end). */
    public static int[] random(int size, RandomGenerator rng) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
