package dev.imet.eval;

import dev.imet.data.LabelSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The {@link LabelCount} rule with the best mean F2 on rows whose labels are known: scale 0.05, 0.10, …, 4.00 and
 * offset 0, ±0.25, …, ±10 (ties go to the first: the smaller scale, the offset nearest 0). Every row's F2 for each
 * number of labels 1..maxLabels is worked out once from its ranked candidates, so each rule costs a pass over the
 * rows.
 */
public final class LabelCountSearch {
    static final double[] SCALES = IntStream.rangeClosed(1, 80).mapToDouble(i -> i / 20.0).toArray();
    static final double[] OFFSETS = IntStream.rangeClosed(0, 80)
            .mapToDouble(i -> (i % 2 == 0 ? 1 : -1) * ((i + 1) / 2) * 0.25).toArray();

    private LabelCountSearch() {}

    /** The best rule found and the mean F2 it gives. */
    public record Result(LabelCount labelCount, double f2) {}

    public static Result search(float[] probs, int rows, List<int[]> truth, LabelSet labels, int maxLabels,
                                Map<String, Integer> maxPerGroup) {
        F2.checkShape(probs, rows, truth, labels.size());
        BinarizationRule.checkLimits(maxLabels, maxPerGroup);
        ThresholdSearch.RankedRows ranked = ThresholdSearch.RankedRows.of(probs, rows, truth, labels, maxLabels,
                maxPerGroup);
        int numClasses = labels.size();
        double[] sums = new double[rows];
        double[][] f2ByCount = new double[rows][];
        IntStream.range(0, rows).parallel().forEach(row -> {
            sums[row] = LabelCount.probabilitySum(probs, row * numClasses, numClasses);
            f2ByCount[row] = f2ByCount(ranked, row);
        });
        LabelCount best = null;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (double scale : SCALES) {
            for (double offset : OFFSETS) {
                LabelCount rule = new LabelCount(scale, offset);
                double sum = 0;
                for (int row = 0; row < rows; row++) {
                    sum += f2ByCount[row][rule.count(sums[row], maxLabels)];
                }
                if (sum > bestSum) {
                    best = rule;
                    bestSum = sum;
                }
            }
        }
        return new Result(best, bestSum / rows);
    }

    /** F2 of the row when it keeps its top k labels (index k, 1..maxLabels), the group caps applied. */
    private static double[] f2ByCount(ThresholdSearch.RankedRows ranked, int row) {
        int maxLabels = ranked.maxLabels();
        int[] kept = new int[ranked.width()];
        int n = TopCandidates.keepTop(ranked.groups(), row * ranked.width(), ranked.count()[row], maxLabels,
                ranked.capByGroup(), new int[ranked.numGroups()], kept);
        double[] f2 = new double[maxLabels + 1];
        int truePositives = 0;
        for (int k = 1; k <= maxLabels; k++) {
            if (k <= n && ranked.hit()[row * ranked.width() + kept[k - 1]]) {
                truePositives++;
            }
            f2[k] = F2.fromCounts(truePositives, Math.min(k, n), ranked.truthSize()[row]);
        }
        return f2;
    }
}
