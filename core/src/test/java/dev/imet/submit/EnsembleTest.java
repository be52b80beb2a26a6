package dev.imet.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EnsembleTest {
    @Test
    void ranksEachColumnScaledToZeroOneWithTiesSharingTheirMeanRank() {
        // 4 rows x 2 columns
        float[] matrix = {
            0.9f, 0.2f,
            0.1f, 0.2f,
            0.5f, 0.2f,
            0.3f, 0.7f,
        };
        Ensemble.toRanks(matrix, 4, 2);
        // column 0: ranks 3, 0, 2, 1 of 3; column 1: three ties share rank 1, the largest has 3
        assertThat(matrix).containsExactly(
                1f, 1f / 3,
                0f, 1f / 3,
                2f / 3, 1f / 3,
                1f / 3, 1f);
    }

    @Test
    void ranksNegativeValuesBelowPositiveOnes() {
        float[] column = {0.5f, -2f, -0.5f, 0f};
        Ensemble.toRanks(column, 4, 1);
        assertThat(column).containsExactly(1f, 0f, 1f / 3, 2f / 3);
    }

    @Test
    void ranksAgreeWithCountingSmallerAndEqualValues() {
        int rows = 300;
        int columns = 37; // more than one block of columns, the last one partial
        Random random = new Random(9);
        float[] matrix = new float[rows * columns];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = random.nextInt(50) / 7f - 3; // negative, zero and positive values, many ties
        }
        float[] ranks = matrix.clone();
        Ensemble.toRanks(ranks, rows, columns);
        for (int column = 0; column < columns; column++) {
            for (int row = 0; row < rows; row++) {
                float value = matrix[row * columns + column];
                int smaller = 0;
                int equal = 0;
                for (int other = 0; other < rows; other++) {
                    float o = matrix[other * columns + column];
                    smaller += o < value ? 1 : 0;
                    equal += o == value ? 1 : 0;
                }
                float expected = (float) ((smaller + (equal - 1) / 2.0) / (rows - 1));
                assertThat(ranks[row * columns + column]).isEqualTo(expected);
            }
        }
    }
}
