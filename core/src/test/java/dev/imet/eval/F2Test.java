package dev.imet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imet.data.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class F2Test {
    @Test
    void aPerfectPredictionScoresOne() {
        assertThat(F2.score(new int[] {3, 1}, new int[] {1, 3})).isEqualTo(1.0);
    }

    @Test
    void anImageWithNeitherTrueNorPredictedLabelsScoresOne() {
        assertThat(F2.score(new int[0], new int[0])).isEqualTo(1.0);
    }

    @Test
    void noTruePositivesScoresZero() {
        assertThat(F2.score(new int[0], new int[] {1})).isZero();
        assertThat(F2.score(new int[] {2}, new int[0])).isZero();
        assertThat(F2.score(new int[] {2}, new int[] {1})).isZero();
    }

    @Test
    void weighsMissedLabelsFourTimesAsMuchAsExtraOnes() {
        // predicted {1, 2, 3}, true {1, 4}: tp 1, fn 1, fp 2 -> 5 / (5 + 4 + 2)
        assertThat(F2.score(new int[] {1, 2, 3}, new int[] {4, 1})).isEqualTo(5.0 / 11);
        // predicted {1}, true {1, 4}: tp 1, fn 1 -> 5 / 9; predicted {1, 4, 5, 6}: tp 2, fp 2 -> 10 / 12
        assertThat(F2.score(new int[] {1}, new int[] {1, 4})).isEqualTo(5.0 / 9);
        assertThat(F2.score(new int[] {1, 4, 5, 6}, new int[] {1, 4})).isEqualTo(10.0 / 12);
    }

    @Test
    void meanBinarisesEveryRowWithTheRule() {
        LabelSet labels = new LabelSet(List.of("a", "b", "c"));
        float[] probs = {0.9f, 0.2f, 0.6f, /* row 1 */ 0.1f, 0.05f, 0.0f};
        List<int[]> truth = List.of(new int[] {0, 2}, new int[] {1});
        // row 0 predicts {0, 2}: 1; row 1 predicts the top label {0}: 0
        assertThat(F2.mean(probs, 2, truth, new BinarizationRule(Thresholds.global(0.3), 10), labels)).isEqualTo(0.5);
    }

    @Test
    void meanAgreesWithScikitLearnOnTheFixture() {
        F2Fixture fixture = F2Fixture.load();
        assertThat(fixture.cases()).hasSize(45);
        for (F2Fixture.Case c : fixture.cases()) {
            BinarizationRule rule = new BinarizationRule(Thresholds.parse(c.threshold()), c.maxLabels(), c.maxPerGroup());
            assertThat(F2.mean(fixture.probs(), fixture.rows(), fixture.truth(), rule, fixture.labels()))
                    .as("%s", c).isCloseTo(c.f2(), within(1e-12));
        }
    }
}
