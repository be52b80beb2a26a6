package dev.imet.eval;

import dev.imet.data.LabelSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The competition metric: per image F2 = 5·tp / (5·tp + 4·fn + fp), 1 for an image with neither true nor
 * predicted labels; the score of a set of images is the mean.
 */
public final class F2 {
    /** Rows per parallel task; fixed so that sums are added in the same order on any machine. */
    static final int CHUNK = 512;

    private F2() {}

    /** F2 of one image; both arrays hold distinct label ids in any order. */
    public static double score(int[] predicted, int[] truth) {
        int truePositives = 0;
        for (int p : predicted) {
            for (int t : truth) {
                if (p == t) {
                    truePositives++;
                    break;
                }
            }
        }
        return fromCounts(truePositives, predicted.length, truth.length);
    }

    static double fromCounts(int truePositives, int predicted, int truth) {
        if (predicted == 0 && truth == 0) {
            return 1.0;
        }
        int falseNegatives = truth - truePositives;
        int falsePositives = predicted - truePositives;
        return 5.0 * truePositives / (5.0 * truePositives + 4.0 * falseNegatives + falsePositives);
    }

    /** Mean F2 of rows probability rows (row-major, labels.size() columns) binarised by the rule. */
    public static double mean(float[] probs, int rows, List<int[]> truth, BinarizationRule rule, LabelSet labels) {
        checkShape(probs, rows, truth, labels.size());
        BinarizationRule.Binarizer binarizer = rule.forLabels(labels);
        int numClasses = labels.size();
        double[] chunkSums = IntStream.range(0, chunks(rows)).parallel().mapToDouble(chunk -> {
            double sum = 0;
            for (int row = chunk * CHUNK; row < Math.min(rows, (chunk + 1) * CHUNK); row++) {
                sum += score(binarizer.apply(probs, row * numClasses), truth.get(row));
            }
            return sum;
        }).toArray();
        return sumInOrder(chunkSums) / rows;
    }

    static int chunks(int rows) {
        return (rows + CHUNK - 1) / CHUNK;
    }

    static double sumInOrder(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum;
    }

    static void checkShape(float[] probs, int rows, List<int[]> truth, int numClasses) {
        if (rows < 1) {
            throw new IllegalArgumentException("no rows to score");
        }
        if ((long) rows * numClasses != probs.length) {
            throw new IllegalArgumentException(probs.length + " probabilities for " + rows + " rows of "
                    + numClasses + " labels");
        }
        if (truth.size() != rows) {
            throw new IllegalArgumentException(truth.size() + " truth rows for " + rows + " probability rows");
        }
    }
}
