package dev.imet.eval;

import dev.imet.data.LabelSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The threshold with the best mean F2 on the grid 0.01, 0.02, …, 0.49: one for all labels, or one per label
 * group. Per group it is a coordinate search: starting from the best global threshold, each group's
 * threshold in turn takes its best grid value with the others fixed, for rounds until none changes (the
 * groups interact only through maxLabels and the top-1 rule, so this settles within a few rounds).
 *
 * <p>Each row's rule candidates are ranked once; every grid value is then evaluated from them by the same
 * walk that {@link BinarizationRule} uses.
 */
public final class ThresholdSearch {
    public static final int GRID_SIZE = 49;
    static final int MAX_ROUNDS = 5;
    /** The grid values as the floats that probabilities are compared with, like Thresholds.perLabel. */
    private static final float[] GRID = new float[GRID_SIZE];

    static {
        for (int i = 0; i < GRID_SIZE; i++) {
            GRID[i] = (float) gridValue(i);
        }
    }

    private ThresholdSearch() {}

    /** The best thresholds found and the mean F2 they give. */
    public record Result(Thresholds thresholds, double f2) {}

    /** Grid value i (0-based): (i + 1) / 100. */
    public static double gridValue(int index) {
        return (index + 1) / 100.0;
    }

    public static Result search(float[] probs, int rows, List<int[]> truth, LabelSet labels, int maxLabels,
                                boolean perGroup) {
        return search(probs, rows, truth, labels, maxLabels, Map.of(), perGroup);
    }

    /** As {@link #search(float[], int, List, LabelSet, int, boolean)}, with per-group caps on the label count. */
    public static Result search(float[] probs, int rows, List<int[]> truth, LabelSet labels, int maxLabels,
                                Map<String, Integer> maxPerGroup, boolean perGroup) {
        F2.checkShape(probs, rows, truth, labels.size());
        BinarizationRule.checkLimits(maxLabels, maxPerGroup);
        List<String> groups = labels.groups();
        RankedRows ranked = RankedRows.of(probs, rows, truth, labels, maxLabels, maxPerGroup);

        int[] thresholdIndex = new int[groups.size()];
        double[] sums = ranked.scan(-1, thresholdIndex);
        int best = argmax(sums);
        Arrays.fill(thresholdIndex, best);
        double bestSum = sums[best];
        if (perGroup && groups.size() > 1) {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                boolean changed = false;
                for (int g = 0; g < groups.size(); g++) {
                    sums = ranked.scan(g, thresholdIndex);
                    int candidate = argmax(sums);
                    if (sums[candidate] > sums[thresholdIndex[g]]) {
                        thresholdIndex[g] = candidate;
                        changed = true;
                    }
                    bestSum = sums[thresholdIndex[g]];
                }
                if (!changed) {
                    break;
                }
            }
        }
        Thresholds thresholds;
        if (perGroup) {
            Map<String, Double> byGroup = new LinkedHashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                byGroup.put(groups.get(g), gridValue(thresholdIndex[g]));
            }
            thresholds = Thresholds.perGroup(byGroup);
        } else {
            thresholds = Thresholds.global(gridValue(best));
        }
        return new Result(thresholds, bestSum / rows);
    }

    /** Grid size of a label's own threshold: 0.01, 0.02, …, 0.99. */
    static final int LABEL_GRID_SIZE = 99;

    /**
     * Thresholds of their own for the labels with at least {@code minSupport} positives in the rows, shrunk toward
     * their group's threshold in {@code base}. Each such label in turn (most positives first, then by id) takes the
     * value of the grid 0.01..0.99 that gives the best mean F2 with every other threshold fixed (ties go to the
     * value nearest its group's), and then keeps n / (n + shrinkage) of its distance from its group's threshold, n
     * its positives: a label seen 10 times with shrinkage 10 moves half way. Only the rows where the label is a
     * candidate of the rule can change, so each label costs its rows, not the fold. The result's F2 is the rule's
     * on these rows; a label whose threshold ends at its group's is left out.
     */
    public static Result labelThresholds(float[] probs, int rows, List<int[]> truth, LabelSet labels, int maxLabels,
                                         Thresholds base, int minSupport, double shrinkage) {
        F2.checkShape(probs, rows, truth, labels.size());
        BinarizationRule.checkLimits(maxLabels, Map.of());
        if (minSupport < 1 || !(shrinkage >= 0)) {
            throw new IllegalArgumentException("per-label thresholds need at least 1 positive and a shrinkage of 0 or"
                    + " more, got " + minSupport + " and " + shrinkage);
        }
        Thresholds groupsOnly = base.withoutLabelThresholds();
        RankedRows ranked = RankedRows.of(probs, rows, truth, labels, maxLabels, Map.of());
        int numClasses = labels.size();
        int[] support = new int[numClasses];
        truth.forEach(row -> {
            for (int label : row) {
                support[label]++;
            }
        });
        int[][] rowsOf = ranked.rowsOfEachLabel(numClasses);
        float[] current = groupsOnly.perLabel(labels);
        float[] groupThreshold = current.clone();
        List<Integer> eligible = IntStream.range(0, numClasses).filter(id -> support[id] >= minSupport).boxed()
                .sorted((a, b) -> support[a] != support[b] ? Integer.compare(support[b], support[a])
                        : Integer.compare(a, b))
                .toList();
        Map<String, Double> own = new LinkedHashMap<>();
        int[] taken = new int[ranked.numGroups()];
        int[] kept = new int[ranked.width()];
        for (int label : eligible) {
            int[] its = rowsOf[label];
            if (its.length == 0) {
                continue; // never a candidate: no threshold changes its rows
            }
            double groupValue = groupsOnly.forGroup(labels.group(label));
            int best = -1;
            double bestSum = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < LABEL_GRID_SIZE; t++) {
                current[label] = (float) gridValue(t);
                double sum = 0;
                for (int row : its) {
                    sum += ranked.rowF2(row, current, taken, kept);
                }
                if (sum > bestSum || sum == bestSum
                        && Math.abs(gridValue(t) - groupValue) < Math.abs(gridValue(best) - groupValue)) {
                    best = t;
                    bestSum = sum;
                }
            }
            double shrunk = (support[label] * gridValue(best) + shrinkage * groupValue) / (support[label] + shrinkage);
            double rounded = Math.round(shrunk * 10_000) / 10_000.0;
            current[label] = (float) rounded;
            if ((float) rounded != groupThreshold[label]) {
                own.put(labels.name(label), rounded);
            } else {
                current[label] = groupThreshold[label];
            }
        }
        Thresholds thresholds = groupsOnly.withLabelThresholds(own);
        double sum = 0;
        for (int row = 0; row < rows; row++) {
            sum += ranked.rowF2(row, current, taken, kept);
        }
        return new Result(thresholds, sum / rows);
    }

    /**
     * The mean F2 on the grid around chosen thresholds: for each group, its threshold taking every grid value
     * while the other groups keep theirs; and under {@link #ALL_LABELS}, one threshold for every label. Each
     * array holds {@link #GRID_SIZE} values, index i for {@link #gridValue(int) gridValue(i)}. The thresholds must
     * lie on the grid (as the search's do).
     */
    public static Map<String, double[]> curves(float[] probs, int rows, List<int[]> truth, LabelSet labels,
            int maxLabels, Thresholds chosen) {
        F2.checkShape(probs, rows, truth, labels.size());
        List<String> groups = labels.groups();
        RankedRows ranked = RankedRows.of(probs, rows, truth, labels, maxLabels, Map.of());
        int[] thresholdIndex = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            thresholdIndex[g] = gridIndex(chosen.forGroup(groups.get(g)));
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put(ALL_LABELS, mean(ranked.scan(-1, thresholdIndex), rows));
        if (groups.size() > 1) {
            for (int g = 0; g < groups.size(); g++) {
                curves.put(groups.get(g), mean(ranked.scan(g, thresholdIndex), rows));
            }
        }
        return curves;
    }

    /** The key of the curve of one threshold for every label. */
    public static final String ALL_LABELS = "all labels";

    /** The grid index of a grid value; IllegalArgumentException for a value off the grid. */
    static int gridIndex(double threshold) {
        long index = Math.round(threshold * 100) - 1;
        if (index < 0 || index >= GRID_SIZE || Math.abs(gridValue((int) index) - threshold) > 1e-9) {
            throw new IllegalArgumentException("threshold " + threshold + " is not on the grid 0.01..0.49");
        }
        return (int) index;
    }

    private static double[] mean(double[] sums, int rows) {
        double[] means = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            means[i] = sums[i] / rows;
        }
        return means;
    }

    /** The first index of the largest value: ties go to the lower threshold. */
    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Every row's ranked rule candidates, whether each is a true label, and the row's true label count. */
    record RankedRows(int rows, int width, int[] count, float[] probs, int[] ids, int[] groups, boolean[] hit,
                      int[] truthSize, int numGroups, int maxLabels, int[] capByGroup) {

        static RankedRows of(float[] probs, int rows, List<int[]> truth, LabelSet labels, int maxLabels,
                             Map<String, Integer> maxPerGroup) {
            TopCandidates candidates = BinarizationRule.candidates(labels, maxLabels, maxPerGroup);
            int[] capByGroup = BinarizationRule.caps(labels.groups(), maxLabels, maxPerGroup);
            int width = candidates.width;
            int numClasses = labels.size();
            int[] count = new int[rows];
            float[] candProbs = new float[rows * width];
            int[] groups = new int[rows * width];
            int[] ids = new int[rows * width];
            boolean[] hit = new boolean[rows * width];
            int[] truthSize = new int[rows];
            IntStream.range(0, rows).parallel().forEach(row -> {
                int from = row * width;
                int n = candidates.select(probs, row * numClasses, ids, candProbs, groups, from);
                count[row] = n;
                int[] rowTruth = truth.get(row);
                for (int label : rowTruth) {
                    if (label < 0 || label >= numClasses) {
                        throw new IllegalArgumentException("truth label " + label + " of row " + row
                                + " outside [0, " + numClasses + ")");
                    }
                }
                truthSize[row] = rowTruth.length;
                for (int j = 0; j < n; j++) {
                    hit[from + j] = contains(rowTruth, ids[from + j]);
                }
            });
            return new RankedRows(rows, width, count, candProbs, ids, groups, hit, truthSize, candidates.numGroups,
                    maxLabels, capByGroup);
        }

        /** For every label, the rows in which it is a candidate of the rule, ascending. */
        int[][] rowsOfEachLabel(int numClasses) {
            int[] size = new int[numClasses];
            for (int row = 0; row < rows; row++) {
                for (int j = 0; j < count[row]; j++) {
                    size[ids[row * width + j]]++;
                }
            }
            int[][] rowsOf = new int[numClasses][];
            for (int label = 0; label < numClasses; label++) {
                rowsOf[label] = new int[size[label]];
            }
            int[] filled = new int[numClasses];
            for (int row = 0; row < rows; row++) {
                for (int j = 0; j < count[row]; j++) {
                    int label = ids[row * width + j];
                    rowsOf[label][filled[label]++] = row;
                }
            }
            return rowsOf;
        }

        /** F2 of one row under per-label thresholds, by the walk {@link BinarizationRule} uses. */
        double rowF2(int row, float[] thresholdByLabel, int[] taken, int[] kept) {
            int from = row * width;
            int n = TopCandidates.keepByLabel(probs, ids, groups, from, count[row], thresholdByLabel, maxLabels,
                    capByGroup, taken, kept);
            int truePositives = 0;
            for (int i = 0; i < n; i++) {
                if (hit[from + kept[i]]) {
                    truePositives++;
                }
            }
            return F2.fromCounts(truePositives, n, truthSize[row]);
        }

        private static boolean contains(int[] values, int value) {
            for (int v : values) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Sum of F2 over rows for each grid value given to group {@code varied} (every group when -1), the
         * other groups keeping the grid values in thresholdIndex.
         */
        double[] scan(int varied, int[] thresholdIndex) {
            double[][] chunkSums = new double[F2.chunks(rows)][];
            IntStream.range(0, chunkSums.length).parallel().forEach(chunk -> {
                double[] sums = new double[GRID_SIZE];
                float[] thresholdByGroup = new float[numGroups];
                int[] taken = new int[numGroups];
                int[] kept = new int[width];
                for (int row = chunk * F2.CHUNK; row < Math.min(rows, (chunk + 1) * F2.CHUNK); row++) {
                    int from = row * width;
                    for (int t = 0; t < GRID_SIZE; t++) {
                        for (int g = 0; g < numGroups; g++) {
                            int index = varied < 0 || g == varied ? t : thresholdIndex[g];
                            thresholdByGroup[g] = GRID[index];
                        }
                        int n = TopCandidates.keep(probs, groups, from, count[row], thresholdByGroup, maxLabels,
                                capByGroup, taken, kept);
                        int truePositives = 0;
                        for (int i = 0; i < n; i++) {
                            if (hit[from + kept[i]]) {
                                truePositives++;
                            }
                        }
                        sums[t] += F2.fromCounts(truePositives, n, truthSize[row]);
                    }
                }
                chunkSums[chunk] = sums;
            });
            double[] total = new double[GRID_SIZE];
            for (double[] sums : chunkSums) {
                for (int t = 0; t < GRID_SIZE; t++) {
                    total[t] += sums[t];
                }
            }
            return total;
        }
    }
}
