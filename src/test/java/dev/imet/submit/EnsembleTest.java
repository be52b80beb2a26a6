package dev.imet.submit;

import static org.assertj.core.api.Assertions.assertThat;

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
}
