package dev.imet.submit;

import dev.imet.common.InputException;
import dev.imet.data.AttributeIdsFile;
import dev.imet.data.DataChecker;
import dev.imet.data.DataReport;
import dev.imet.data.LabelSet;
import dev.imet.data.Sample;
import dev.imet.eval.BinarizationRule;
import dev.imet.eval.F2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/** submission.csv: making one from prediction files, and scoring one against the true labels. */
public final class Submission {
    /** make-submission's threshold unless one is given. */
    public static final double DEFAULT_THRESHOLD = 0.1;

    private Submission() {}

    /** What {@link #make} wrote. */
    public record Summary(int images, double meanLabels) {}

    /**
     * Averages the prediction files on the ids of sample_submission.csv, binarises every row with the rule
     * and writes {@code id,attribute_ids} with ids ascending, atomically. labels.csv and sample_submission.csv
     * are read with check-data's checks. Nothing is written when any input is bad.
     */
    public static Summary make(Path dataDir, List<Path> predictionFiles,
                               BinarizationRule rule, boolean rankMean, Path out) {
        DataReport data = DataChecker.checkTestCsv(dataDir).requireOk();
        LabelSet labels = data.labels();
        BinarizationRule.Binarizer binarizer = rule.forLabels(labels);
        List<String> ids = new ArrayList<>(data.testIds());
        if (ids.isEmpty()) {
            throw new InputException(dataDir.resolve("sample_submission.csv") + ": no rows: no test ids to predict");
        }
        ids.sort(null);
        int numClasses = labels.size();
        float[] probs = Ensemble.average(predictionFiles, ids, numClasses, rankMean);
        int[][] predicted = new int[ids.size()][];
        IntStream.range(0, ids.size()).parallel()
                .forEach(row -> predicted[row] = binarizer.apply(probs, row * numClasses));
        AttributeIdsFile.write(out, ids, Arrays.asList(predicted));
        return new Summary(ids.size(), Arrays.stream(predicted).mapToInt(p -> p.length).average().orElse(0));
    }

    /**
     * Mean F2 of a submission against a solution file (the train.csv format). InputException naming the
     * file and line of a bad row, and the file and id when the submission lacks an id of the solution or has
     * one the solution does not.
     */
    public static double score(Path submissionCsv, Path solutionCsv) {
        List<Sample> solution = AttributeIdsFile.read(solutionCsv);
        if (solution.isEmpty()) {
            throw new InputException(solutionCsv + ": no rows");
        }
        List<Sample> submission = AttributeIdsFile.read(submissionCsv);
        Map<String, int[]> submitted = new HashMap<>();
        for (Sample row : submission) {
            submitted.put(row.id(), row.labels());
        }
        Set<String> solutionIds = new HashSet<>();
        double sum = 0;
        for (Sample row : solution) {
            solutionIds.add(row.id());
            int[] predicted = submitted.get(row.id());
            if (predicted == null) {
                throw new InputException(submissionCsv + ": no row for id " + row.id() + " of " + solutionCsv);
            }
            sum += F2.score(predicted, row.labels());
        }
        for (Sample row : submission) {
            if (!solutionIds.contains(row.id())) {
                throw new InputException(submissionCsv + ": id " + row.id() + " is not in " + solutionCsv);
            }
        }
        return sum / solution.size();
    }
}
