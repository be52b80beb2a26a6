package dev.imet.folds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IterativeStratificationTest {
    /** rows x labels with Zipf-like label frequencies (label r drawn with weight 1 / (r + 1)), 1-5 labels a row. */
    static List<int[]> zipfRows(int rows, int numClasses, long seed) {
        Random random = new Random(seed);
        double[] cumulative = new double[numClasses];
        double total = 0;
        for (int label = 0; label < numClasses; label++) {
            total += 1.0 / (label + 1);
            cumulative[label] = total;
        }
        List<int[]> result = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            int wanted = 1 + random.nextInt(5);
            TreeSet<Integer> labels = new TreeSet<>();
            while (labels.size() < wanted) {
                int at = Arrays.binarySearch(cumulative, random.nextDouble() * total);
                labels.add(Math.min(numClasses - 1, at < 0 ? -at - 1 : at));
            }
            result.add(labels.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    /**
     * Mean over the labels with at least minCount rows and over folds of |rows of the label in the fold -
     * rows of the label / nFolds|.
     */
    static double meanAbsoluteDeviation(List<int[]> rows, int[] folds, int numClasses, int nFolds, int minCount) {
        int[][] perFold = new int[nFolds][numClasses];
        int[] total = new int[numClasses];
        for (int row = 0; row < rows.size(); row++) {
            for (int label : rows.get(row)) {
                perFold[folds[row]][label]++;
                total[label]++;
            }
        }
        double sum = 0;
        int counted = 0;
        for (int label = 0; label < numClasses; label++) {
            if (total[label] < minCount) {
                continue;
            }
            counted++;
            for (int fold = 0; fold < nFolds; fold++) {
                sum += Math.abs(perFold[fold][label] - total[label] / (double) nFolds);
            }
        }
        return sum / (nFolds * counted);
    }

    @Test
    void everyRowGetsExactlyOneFoldAndFoldsHaveSimilarSizes() {
        List<int[]> rows = new ArrayList<>(zipfRows(2_000, 50, 1));
        rows.add(new int[0]); // rows without labels are kept too
        rows.add(new int[0]);
        int[] folds = IterativeStratification.assign(rows, 50, 5, 30, 42);

        assertThat(folds).hasSize(rows.size());
        assertThat(IntStream.of(folds).min().getAsInt()).isZero();
        assertThat(IntStream.of(folds).max().getAsInt()).isEqualTo(4);
        int[] sizes = new int[5];
        for (int fold : folds) {
            sizes[fold]++;
        }
        // Label balance comes first, so fold sizes vary a little (as in the Python package: ±8 % here).
        assertThat(IntStream.of(sizes).min().getAsInt()).isGreaterThanOrEqualTo(360);
        assertThat(IntStream.of(sizes).max().getAsInt()).isLessThanOrEqualTo(440);
    }

    @Test
    void aLabelWithOneRowPerFoldPutsOneRowInEachFold() {
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(i % 4 == 0 ? new int[] {0, 1} : new int[] {1}); // label 0: 10 rows, label 1: 40 rows
        }
        int[] folds = IterativeStratification.assign(rows, 2, 10, 1, 7);

        int[] label0PerFold = new int[10];
        int[] rowsPerFold = new int[10];
        for (int row = 0; row < rows.size(); row++) {
            rowsPerFold[folds[row]]++;
            if (rows.get(row).length == 2) {
                label0PerFold[folds[row]]++;
            }
        }
        assertThat(label0PerFold).containsOnly(1);
        assertThat(rowsPerFold).containsOnly(4);
    }

    @Test
    void labelsRarerThanTheMinimumAreIgnoredButTheirRowsKept() {
        // Label 1 has 3 rows: with minLabelCount 5 it does not steer the split; its rows still get folds.
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(i < 3 ? new int[] {1} : new int[] {0});
        }
        int[] folds = IterativeStratification.assign(rows, 2, 4, 5, 3);
        int[] sizes = new int[4];
        for (int fold : folds) {
            sizes[fold]++;
        }
        assertThat(sizes).containsOnly(5);
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        List<int[]> rows = zipfRows(3_000, 100, 2);
        int[] first = IterativeStratification.assign(rows, 100, 10, 30, 42);
        int[] again = IterativeStratification.assign(rows, 100, 10, 30, 42);
        int[] other = IterativeStratification.assign(rows, 100, 10, 30, 43);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void stratifiesALongTailedSetFarBetterThanARandomSplit() {
        int numClasses = 500;
        int nFolds = 10;
        List<int[]> rows = zipfRows(20_000, numClasses, 3);
        Random random = new Random(42);
        int[] randomSplit = new int[rows.size()];
        for (int row = 0; row < randomSplit.length; row++) {
            randomSplit[row] = random.nextInt(nFolds);
        }
        // Every label steering the split: measured over all labels (about 5x better here).
        int[] allLabels = IterativeStratification.assign(rows, numClasses, nFolds, 1, 42);
        assertThat(meanAbsoluteDeviation(rows, allLabels, numClasses, nFolds, 0) * 3)
                .isLessThan(meanAbsoluteDeviation(rows, randomSplit, numClasses, nFolds, 0));
        // The default minimum of 30: measured over the labels that steer the split (about 7x better here).
        int[] frequentLabels = IterativeStratification.assign(rows, numClasses, nFolds, 30, 42);
        assertThat(meanAbsoluteDeviation(rows, frequentLabels, numClasses, nFolds, 30) * 3)
                .isLessThan(meanAbsoluteDeviation(rows, randomSplit, numClasses, nFolds, 30));
    }
}
