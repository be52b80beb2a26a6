package dev.imet.data;

import java.util.Arrays;

/** One row of train.csv: an image id and its label ids, sorted ascending and distinct. */
public record Sample(String id, int[] labels) {
    public Sample {
        for (int k = 1; k < labels.length; k++) {
            if (labels[k] <= labels[k - 1]) {
                throw new IllegalArgumentException("labels of " + id + " must be ascending and distinct: " + Arrays.toString(labels));
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sample sample && id.equals(sample.id) && Arrays.equals(labels, sample.labels);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", " + Arrays.toString(labels) + "]";
    }
}
