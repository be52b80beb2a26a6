package dev.imet.submit;

import dev.imet.common.InputException;
import dev.imet.predict.PredictionFile;
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

    /**
     * Replaces every column of a rows x numClasses matrix by the ranks of its values: 0 for the smallest,
     * 1 for the largest, rank / (rows - 1) between, equal values sharing their mean rank.
     */
    static void toRanks(float[] matrix, int rows, int numClasses) {
        double scale = Math.max(rows - 1, 1);
        IntStream.range(0, numClasses).parallel().forEach(column -> {
            // Sort (value, row) pairs packed in one long: the value's bits made order-preserving, then the row.
            long[] keys = new long[rows];
            for (int row = 0; row < rows; row++) {
                int bits = Float.floatToIntBits(matrix[row * numClasses + column]);
                int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
                keys[row] = ((long) ordered << 32) | row;
            }
            Arrays.sort(keys);
            for (int start = 0; start < rows; ) {
                int end = start + 1;
                while (end < rows && (keys[end] >>> 32) == (keys[start] >>> 32)) {
                    end++;
                }
                float rank = (float) ((start + end - 1) / 2.0 / scale);
                for (int i = start; i < end; i++) {
                    matrix[(int) keys[i] * numClasses + column] = rank;
                }
                start = end;
            }
        });
    }
}
