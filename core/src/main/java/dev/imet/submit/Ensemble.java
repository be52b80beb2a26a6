package dev.imet.submit;

import dev.imet.common.InputException;
import dev.imet.inference.PredictionFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Averages prediction files on a common list of ids: the arithmetic mean of probabilities, or of ranks. */
public final class Ensemble {
    private Ensemble() {}

    /**
     * The mean over files of each id's probabilities (row-major, ids.size() x numClasses, rows in ids order).
     * With rankMean each file's probabilities are first replaced, per class, by their rank among the ids
     * scaled to [0, 1] (ties share their mean rank). InputException naming the file when a file lacks one
     * of the ids or has another number of classes. Ids a file has beyond the list are ignored.
     */
    public static float[] average(List<Path> files, List<String> ids, int numClasses, boolean rankMean) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no prediction files");
        }
        float[] sum = new float[Math.multiplyExact(ids.size(), numClasses)];
        for (Path file : files) {
            float[] aligned = aligned(file, PredictionFile.read(file), ids, numClasses);
            if (rankMean) {
                toRanks(aligned, ids.size(), numClasses);
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += aligned[i];
            }
        }
        float count = files.size();
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count;
        }
        return sum;
    }

    /** The file's rows in the order of ids. */
    static float[] aligned(Path file, PredictionFile predictions, List<String> ids, int numClasses) {
        if (predictions.numClasses() != numClasses) {
            throw new InputException(file + ": " + predictions.numClasses() + " classes, but labels.csv has "
                    + numClasses);
        }
        Map<String, Integer> rowOf = new HashMap<>(predictions.ids().size() * 2);
        for (int row = 0; row < predictions.ids().size(); row++) {
            rowOf.put(predictions.ids().get(row), row);
        }
        float[] aligned = new float[ids.size() * numClasses];
        for (int i = 0; i < ids.size(); i++) {
            Integer row = rowOf.get(ids.get(i));
            if (row == null) {
                throw new InputException(file + ": no prediction for id " + ids.get(i) + " of sample_submission.csv");
            }
            System.arraycopy(predictions.probs(), row * numClasses, aligned, i * numClasses, numClasses);
        }
        return aligned;
    }

    /** Columns ranked together by one task: their values are gathered row by row, a cache line at a time. */
    private static final int COLUMN_BLOCK = 16;
    private static final int DIGIT_BITS = 11;

    /**
     * Replaces every column of a rows x numClasses matrix by the ranks of its values: 0 for the smallest,
     * 1 for the largest, rank / (rows - 1) between, equal values sharing their mean rank.
     */
    static void toRanks(float[] matrix, int rows, int numClasses) {
        double scale = Math.max(rows - 1, 1);
        int blocks = (numClasses + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int first = block * COLUMN_BLOCK;
            int width = Math.min(COLUMN_BLOCK, numClasses - first);
            int[][] keys = new int[width][rows];
            for (int row = 0; row < rows; row++) {
                for (int c = 0; c < width; c++) {
                    keys[c][row] = unsignedOrder(matrix[row * numClasses + first + c]);
                }
            }
            float[][] ranks = new float[width][rows];
            int[] order = new int[rows];
            int[] sortedKeys = new int[rows];
            int[] scratchOrder = new int[rows];
            int[] scratchKeys = new int[rows];
            for (int c = 0; c < width; c++) {
                radixSort(keys[c], order, sortedKeys, scratchOrder, scratchKeys);
                for (int start = 0; start < rows; ) {
                    int end = start + 1;
                    while (end < rows && sortedKeys[end] == sortedKeys[start]) {
                        end++;
                    }
                    float rank = (float) ((start + end - 1) / 2.0 / scale);
                    for (int i = start; i < end; i++) {
                        ranks[c][order[i]] = rank;
                    }
                    start = end;
                }
            }
            for (int row = 0; row < rows; row++) {
                for (int c = 0; c < width; c++) {
                    matrix[row * numClasses + first + c] = ranks[c][row];
                }
            }
        });
    }

    /** The float's bits as an int whose unsigned order is the float order (NaN-free input; -0 equals 0). */
    private static int unsignedOrder(float value) {
        int bits = Float.floatToIntBits(value + 0.0f);
        return bits < 0 ? ~bits : bits | Integer.MIN_VALUE;
    }

    /**
     * Least-significant-digit radix sort of keys (unsigned order), stable: order receives the positions of
     * the keys in sorted order and sortedKeys the keys themselves. Digits that all keys share are skipped.
     */
    private static void radixSort(int[] keys, int[] order, int[] sortedKeys, int[] scratchOrder, int[] scratchKeys) {
        int n = keys.length;
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        System.arraycopy(keys, 0, sortedKeys, 0, n);
        int[] count = new int[1 << DIGIT_BITS];
        int mask = (1 << DIGIT_BITS) - 1;
        for (int shift = 0; shift < Integer.SIZE; shift += DIGIT_BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(sortedKeys[i] >>> shift) & mask]++;
            }
            if (n == 0 || count[(sortedKeys[0] >>> shift) & mask] == n) {
                continue;
            }
            for (int digit = 0, sum = 0; digit < count.length; digit++) {
                int c = count[digit];
                count[digit] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int at = count[(sortedKeys[i] >>> shift) & mask]++;
                scratchKeys[at] = sortedKeys[i];
                scratchOrder[at] = order[i];
            }
            System.arraycopy(scratchKeys, 0, sortedKeys, 0, n);
            System.arraycopy(scratchOrder, 0, order, 0, n);
        }
    }
}
