package dev.imet.submit;

import dev.imet.common.InputException;
import dev.imet.data.AttributeIdsFile;
import dev.imet.data.DataChecker;
import dev.imet.data.DataReport;
import dev.imet.data.Sample;
import dev.imet.eval.F2;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The best constant prediction: the same k most frequent training labels for every image, k chosen to maximise
 * the mean F2 on the truth. A trained model must beat it to have learnt anything from the images.
 */
public final class ConstantBaseline {
    /** The best k, its labels (ascending) and its mean F2. */
    public record Result(int k, int[] labels, double f2) {}

    /** The most labels the baseline tries: the default maximum of the binarisation rule. */
    public static final int MAX_K = 10;

    private ConstantBaseline() {}

    /**
     * The baseline for a solution file from a data folder's train.csv (read with check-data's checks of labels.csv
     * and train.csv); the solution's label ids must be those of labels.csv. InputException naming the file and
     * line of every problem, or when the solution has no rows.
     */
    public static Result forData(Path dataDir, Path solutionCsv) {
        DataReport data = DataChecker.checkTrainCsv(dataDir).requireOk();
        List<Sample> truth = AttributeIdsFile.read(solutionCsv, data.labels());
        if (truth.isEmpty()) {
            throw new InputException(solutionCsv + ": no rows");
        }
        return best(data.train().stream().map(Sample::labels).toList(), data.labels().size(),
                truth.stream().map(Sample::labels).toList(), MAX_K);
    }

    public static Result best(List<int[]> trainLabels, int numClasses, List<int[]> truth, int maxK) {
        long[] counts = new long[numClasses];
        for (int[] row : trainLabels) {
            for (int label : row) {
                counts[label]++;
            }
        }
        Integer[] byFrequency = IntStream.range(0, numClasses).boxed().toArray(Integer[]::new);
        // most frequent first; ties to the lower id, so the result is deterministic
        Arrays.sort(byFrequency, (a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
        Result best = null;
        for (int k = 1; k <= Math.min(maxK, numClasses); k++) {
            int[] labels = Arrays.stream(byFrequency, 0, k).mapToInt(Integer::intValue).sorted().toArray();
            double sum = 0;
            for (int[] t : truth) {
                sum += F2.score(labels, t);
            }
            double f2 = truth.isEmpty() ? 0 : sum / truth.size();
            if (best == null || f2 > best.f2()) {
                best = new Result(k, labels, f2);
            }
        }
        return best;
    }
}
