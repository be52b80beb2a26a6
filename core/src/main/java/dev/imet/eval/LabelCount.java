package dev.imet.eval;

import java.util.Locale;

/**
 * A labels-per-image rule: an image keeps its top k labels by probability, k = round(scale * S + offset) between 1
 * and the rule's maximum, where S is the sum of the image's probabilities (the expected number of true labels, were
 * the probabilities calibrated). {@link LabelCountSearch} chooses scale and offset on a validation fold.
 */
public record LabelCount(double scale, double offset) {
    public LabelCount {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("a labels-per-image rule needs a positive scale and a finite offset,"
                    + " got " + scale + " and " + offset);
        }
    }

    /** The sum of the row probs[offset, offset + numClasses), added in label order. */
    static double probabilitySum(float[] probs, int offset, int numClasses) {
        double sum = 0;
        for (int i = offset; i < offset + numClasses; i++) {
            sum += probs[i];
        }
        return sum;
    }

    /** The number of labels an image with probability sum {@code sum} keeps, at most {@code maxLabels}. */
    public int count(double sum, int maxLabels) {
        long k = Math.round(scale * sum + offset);
        return (int) Math.max(1, Math.min(maxLabels, k));
    }

    public String describe(int maxLabels) {
        return String.format(Locale.ROOT, "the top round(%.2f x sum of p %s %.2f) labels per image (1..%d)", scale,
                offset < 0 ? "-" : "+", Math.abs(offset), maxLabels);
    }
}
