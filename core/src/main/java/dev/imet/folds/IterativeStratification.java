package dev.imet.folds;

import dev.imet.common.Permutations;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Multi-label iterative stratification (Sechidis et al. 2011), as the {@code iterative-stratification}
 * package's MultilabelStratifiedKFold does it: repeatedly take the label with the fewest unassigned rows
 * and give each of its rows to the fold that most wants that label; ties go to the fold that wants most
 * rows, then to a seeded random choice. Unlike the package, labels rarer than {@code minLabelCount} are
 * ignored and rows left without a label are still spread over the folds, so no row is dropped.
 *
 * <p>Rows are visited in a seeded random order (the package's {@code shuffle=True}), so the result does not
 * depend on how train.csv is sorted. "Wants" is the fold's ideal share minus what it already holds; shares
 * are kept multiplied by the number of folds so that they are exact integers and ties are exact.
 */
public final class IterativeStratification {
    private IterativeStratification() {}

    /**
     * Assigns a fold in [0, nFolds) to every row.
     *
     * @param rowLabels the label ids of each row, distinct, each in [0, numClasses)
     * @return the fold of each row, in row order
     */
    public static int[] assign(List<int[]> rowLabels, int numClasses, int nFolds, int minLabelCount, long seed) {
        if (nFolds < 1) {
            throw new IllegalArgumentException("nFolds must be at least 1: " + nFolds);
        }
        int rows = rowLabels.size();
        Random random = new Random(seed);
        int[] order = Permutations.random(rows, random);

        int[] labelCount = new int[numClasses];
        for (int[] labels : rowLabels) {
            for (int label : labels) {
                if (label < 0 || label >= numClasses) {
                    throw new IllegalArgumentException("label id " + label + " outside [0, " + numClasses + ")");
                }
                labelCount[label]++;
            }
        }
        boolean[] eligible = new boolean[numClasses];
        for (int label = 0; label < numClasses; label++) {
            eligible[label] = labelCount[label] > 0 && labelCount[label] >= minLabelCount;
        }

        // Each row's eligible labels, and each eligible label's rows in the seeded order (CSR arrays).
        int[] rowStart = new int[rows + 1];
        for (int row = 0; row < rows; row++) {
            int kept = 0;
            for (int label : rowLabels.get(row)) {
                if (eligible[label]) {
                    kept++;
                }
            }
            rowStart[row + 1] = rowStart[row] + kept;
        }
        int[] rowLabel = new int[rowStart[rows]];
        int[] labelStart = new int[numClasses + 1];
        for (int row = 0; row < rows; row++) {
            int at = rowStart[row];
            for (int label : rowLabels.get(row)) {
                if (eligible[label]) {
                    rowLabel[at++] = label;
                    labelStart[label + 1]++;
                }
            }
        }
        for (int label = 0; label < numClasses; label++) {
            labelStart[label + 1] += labelStart[label];
        }
        int[] labelRow = new int[rowLabel.length];
        int[] fill = labelStart.clone();
        for (int row : order) {
            for (int i = rowStart[row]; i < rowStart[row + 1]; i++) {
                labelRow[fill[rowLabel[i]]++] = row;
            }
        }

        int[] remaining = new int[numClasses];
        long[] wantedRows = new long[nFolds];
        long[] wantedLabel = new long[nFolds * numClasses];
        for (int label = 0; label < numClasses; label++) {
            remaining[label] = labelStart[label + 1] - labelStart[label];
            for (int fold = 0; fold < nFolds; fold++) {
                wantedLabel[fold * numClasses + label] = remaining[label];
            }
        }
        Arrays.fill(wantedRows, rows);

        int[] foldOf = new int[rows];
        Arrays.fill(foldOf, -1);
        int[] tiedLabels = new int[numClasses];
        int[] tiedFolds = new int[nFolds];
        // At most one pass per label, so a linear scan for the rarest label costs O(labels^2) in all.
        while (true) {
            int fewest = Integer.MAX_VALUE;
            int ties = 0;
            for (int label = 0; label < numClasses; label++) {
                int left = remaining[label];
                if (left == 0 || left > fewest) {
                    continue;
                }
                if (left < fewest) {
                    fewest = left;
                    ties = 0;
                }
                tiedLabels[ties++] = label;
            }
            if (ties == 0) {
                break;
            }
            int label = tiedLabels[ties == 1 ? 0 : random.nextInt(ties)];
            for (int i = labelStart[label]; i < labelStart[label + 1]; i++) {
                int row = labelRow[i];
                if (foldOf[row] >= 0) {
                    continue;
                }
                int fold = mostWanting(wantedLabel, numClasses, label, wantedRows, tiedFolds, random);
                foldOf[row] = fold;
                wantedRows[fold] -= nFolds;
                for (int j = rowStart[row]; j < rowStart[row + 1]; j++) {
                    wantedLabel[fold * numClasses + rowLabel[j]] -= nFolds;
                    remaining[rowLabel[j]]--;
                }
            }
        }
        for (int row : order) {
            if (foldOf[row] < 0) {
                int fold = mostWanting(null, numClasses, -1, wantedRows, tiedFolds, random);
                foldOf[row] = fold;
                wantedRows[fold] -= nFolds;
            }
        }
        return foldOf;
    }

    /** The fold that wants the label most (skipped when label is -1), then most rows, then a seeded pick. */
    private static int mostWanting(long[] wantedLabel, int numClasses, int label, long[] wantedRows, int[] tied,
                                   Random random) {
        int nFolds = wantedRows.length;
        long bestLabel = Long.MIN_VALUE;
        long bestRows = Long.MIN_VALUE;
        int ties = 0;
        for (int fold = 0; fold < nFolds; fold++) {
            long byLabel = label < 0 ? 0 : wantedLabel[fold * numClasses + label];
            long byRows = wantedRows[fold];
            if (byLabel > bestLabel || (byLabel == bestLabel && byRows > bestRows)) {
                bestLabel = byLabel;
                bestRows = byRows;
                ties = 0;
            }
            if (byLabel == bestLabel && byRows == bestRows) {
                tied[ties++] = fold;
            }
        }
        return tied[ties == 1 ? 0 : random.nextInt(ties)];
    }
}
