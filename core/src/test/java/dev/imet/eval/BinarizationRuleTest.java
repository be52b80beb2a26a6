package dev.imet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.data.LabelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinarizationRuleTest {
    /** Labels 0-2 are culture, 3-5 tag. */
    private static final LabelSet LABELS = new LabelSet(List.of(
            "culture::a", "culture::b", "culture::c", "tag::d", "tag::e", "tag::f"));

    private static int[] apply(String thresholds, int maxLabels, Map<String, Integer> maxPerGroup, float... probs) {
        return new BinarizationRule(Thresholds.parse(thresholds), maxLabels, maxPerGroup).apply(probs, 0, LABELS);
    }

    @Test
    void keepsLabelsAboveTheThresholdInIdOrder() {
        assertThat(apply("0.3", 10, Map.of(), 0.9f, 0.1f, 0.4f, 0.3f, 0.31f, 0.0f)).containsExactly(0, 2, 4);
    }

    @Test
    void aProbabilityEqualToTheThresholdIsNotKept() {
        assertThat(apply("0.3", 10, Map.of(), 0.9f, 0.3f, 0, 0, 0, 0)).containsExactly(0);
    }

    @Test
    void theTopLabelIsKeptEvenBelowTheThreshold() {
        assertThat(apply("0.5", 10, Map.of(), 0.1f, 0.2f, 0.05f, 0.3f, 0.0f, 0.1f)).containsExactly(3);
    }

    @Test
    void atMostMaxLabelsByProbability() {
        assertThat(apply("0.1", 2, Map.of(), 0.5f, 0.6f, 0.9f, 0.2f, 0.7f, 0.3f)).containsExactly(2, 4);
    }

    @Test
    void equalProbabilitiesRankTheLowerIdFirst() {
        assertThat(apply("0.1", 2, Map.of(), 0.5f, 0.5f, 0.5f, 0.0f, 0.5f, 0.0f)).containsExactly(0, 1);
    }

    @Test
    void atMostMaxPerGroupWithinAGroupWhileOtherGroupsFillUp() {
        // culture is capped at 1: the best culture label (2), then the tag labels by probability up to 3 labels.
        assertThat(apply("0.1", 3, Map.of("culture", 1), 0.8f, 0.85f, 0.9f, 0.2f, 0.7f, 0.3f))
                .containsExactly(2, 4, 5);
    }

    @Test
    void perGroupThresholds() {
        assertThat(apply("culture=0.5,tag=0.15", 10, Map.of(), 0.6f, 0.4f, 0.45f, 0.2f, 0.1f, 0.16f))
                .containsExactly(0, 3, 5);
    }

    @Test
    void theTopLabelCountsTowardsItsGroupCap() {
        assertThat(apply("0.1", 10, Map.of("tag", 1), 0.1f, 0.05f, 0.0f, 0.2f, 0.15f, 0.12f)).containsExactly(3);
    }

    @Test
    void aCapOrThresholdForAnUnknownGroupIsBadInput() {
        assertThatThrownBy(() -> apply("0.1", 10, Map.of("medium", 2), new float[6]))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown label group 'medium'");
        assertThatThrownBy(() -> apply("medium=0.1", 10, Map.of(), new float[6]))
                .isInstanceOf(InputException.class);
    }

    @Test
    void limitsBelowOneAreRejected() {
        assertThatThrownBy(() -> new BinarizationRule(Thresholds.global(0.1), 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BinarizationRule(Thresholds.global(0.1), 5, Map.of("tag", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheRowAtTheOffset() {
        float[] twoRows = {0.9f, 0, 0, 0, 0, 0, /* row 1: */ 0, 0, 0, 0, 0.8f, 0.7f};
        var binarizer = new BinarizationRule(Thresholds.global(0.5), 10).forLabels(LABELS);
        assertThat(binarizer.apply(twoRows, 0)).containsExactly(0);
        assertThat(binarizer.apply(twoRows, 6)).containsExactly(4, 5);
    }

    @Test
    void aLabelWithItsOwnThresholdIgnoresItsGroups() {
        Thresholds thresholds = Thresholds.parse("culture=0.5,tag=0.15").withLabelThresholds(Map.of("tag::f", 0.5,
                "culture::b", 0.3));
        int[] kept = new BinarizationRule(thresholds, 10).apply(new float[] {0.6f, 0.4f, 0.45f, 0.2f, 0.1f, 0.4f}, 0,
                LABELS);
        assertThat(kept).containsExactly(0, 1, 3);
        assertThat(thresholds.describe()).isEqualTo("culture=0.5,tag=0.15 and 2 per-label thresholds");
        assertThatThrownBy(() -> new BinarizationRule(Thresholds.global(0.1).withLabelThresholds(Map.of("tag::z", 0.2)),
                10).forLabels(LABELS)).isInstanceOf(InputException.class).hasMessageContaining("unknown label 'tag::z'");
    }

    @Test
    void aLabelCountKeepsTheTopLabelsItsProbabilitySumCallsForWithinTheCaps() {
        float[] probs = {0.9f, 0.8f, 0.05f, 0.7f, 0.6f, 0.05f}; // sum 3.1
        assertThat(new LabelCount(1, 0).count(3.1, 10)).isEqualTo(3);
        var rule = new BinarizationRule(Thresholds.global(0.99), 10, Map.of(), new LabelCount(1, 0));
        assertThat(rule.apply(probs, 0, LABELS)).containsExactly(0, 1, 3);
        // round(3.1 + 0.5) = 4 labels, one of culture: 0, then tag's 3, 4 and 5 (0.05, after culture's 2 by id)
        var capped = new BinarizationRule(Thresholds.global(0.99), 10, Map.of("culture", 1), new LabelCount(1, 0.5));
        assertThat(capped.apply(probs, 0, LABELS)).containsExactly(0, 3, 4, 5);
        // at least one label, at most maxLabels
        assertThat(new LabelCount(0.1, -2).count(3.1, 10)).isEqualTo(1);
        assertThat(new LabelCount(4, 0).count(3.1, 5)).isEqualTo(5);
        assertThat(new BinarizationRule(Thresholds.global(0.1), 5, Map.of(), new LabelCount(1.35, -0.5)).describe())
                .isEqualTo("the top round(1.35 x sum of p - 0.50) labels per image (1..5)");
    }
}
