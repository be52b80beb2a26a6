package dev.imet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imet.data.LabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ThresholdSearchTest {
    @Test
    void findsTheBestGlobalThresholdThatScikitLearnFinds() {
        F2Fixture fixture = F2Fixture.load();
        ThresholdSearch.Result result = ThresholdSearch.search(fixture.probs(), fixture.rows(), fixture.truth(),
                fixture.labels(), fixture.bestGlobal().maxLabels(), false);

        assertThat(result.thresholds()).isEqualTo(Thresholds.parse(fixture.bestGlobal().threshold()));
        assertThat(result.f2()).isCloseTo(fixture.bestGlobal().f2(), within(1e-12));
    }

    @Test
    void theGridRunsFromOneToFortyNineHundredths() {
        assertThat(ThresholdSearch.gridValue(0)).isEqualTo(0.01);
        assertThat(ThresholdSearch.gridValue(ThresholdSearch.GRID_SIZE - 1)).isEqualTo(0.49);
    }

    /** Culture probabilities are on a lower scale than tag ones, so the groups want different thresholds. */
    private record Skewed(LabelSet labels, float[] probs, int rows, List<int[]> truth) {
        static Skewed make() {
            LabelSet labels = new LabelSet(List.of("culture::a", "culture::b", "culture::c", "culture::d",
                    "tag::e", "tag::f", "tag::g", "tag::h", "tag::i", "tag::j"));
            Random random = new Random(11);
            int rows = 400;
            float[] probs = new float[rows * 10];
            List<int[]> truth = new ArrayList<>();
            for (int row = 0; row < rows; row++) {
                int culture = random.nextInt(4);
                int tag = 4 + random.nextInt(6);
                truth.add(new int[] {culture, tag});
                for (int label = 0; label < 10; label++) {
                    boolean isTrue = label == culture || label == tag;
                    float noise = random.nextFloat();
                    probs[row * 10 + label] = label < 4
                            ? (isTrue ? 0.05f + 0.1f * noise : 0.12f * noise)
                            : (isTrue ? 0.3f + 0.6f * noise : 0.45f * noise);
                }
            }
            return new Skewed(labels, probs, rows, truth);
        }
    }

    @Test
    void perGroupThresholdsBeatOneAndScoreWhatTheRuleScores() {
        Skewed data = Skewed.make();
        ThresholdSearch.Result global = ThresholdSearch.search(data.probs(), data.rows(), data.truth(), data.labels(), 10, false);
        ThresholdSearch.Result perGroup = ThresholdSearch.search(data.probs(), data.rows(), data.truth(), data.labels(), 10, true);

        assertThat(perGroup.thresholds().isGlobal()).isFalse();
        assertThat(perGroup.thresholds().forGroup("culture")).isLessThan(perGroup.thresholds().forGroup("tag"));
        assertThat(perGroup.f2()).isGreaterThan(global.f2());
        for (ThresholdSearch.Result result : List.of(global, perGroup)) {
            BinarizationRule rule = new BinarizationRule(result.thresholds(), 10);
            assertThat(F2.mean(data.probs(), data.rows(), data.truth(), rule, data.labels()))
                    .isCloseTo(result.f2(), within(1e-12));
        }
    }

    @Test
    void theCurvesPassThroughTheChosenThresholdsAtTheirF2() {
        Skewed data = Skewed.make();
        ThresholdSearch.Result perGroup = ThresholdSearch.search(data.probs(), data.rows(), data.truth(), data.labels(), 10, true);
        Map<String, double[]> curves = ThresholdSearch.curves(data.probs(), data.rows(), data.truth(), data.labels(), 10,
                perGroup.thresholds());
        assertThat(curves).containsOnlyKeys(ThresholdSearch.ALL_LABELS, "culture", "tag");
        for (String group : List.of("culture", "tag")) {
            double[] curve = curves.get(group);
            assertThat(curve).hasSize(ThresholdSearch.GRID_SIZE);
            int chosen = ThresholdSearch.gridIndex(perGroup.thresholds().forGroup(group));
            assertThat(curve[chosen]).isCloseTo(perGroup.f2(), within(1e-12));
            assertThat(java.util.Arrays.stream(curve).max().orElseThrow()).isCloseTo(perGroup.f2(), within(1e-12));
        }
    }

    @Test
    void honoursPerGroupCapsLikeTheRule() {
        Skewed data = Skewed.make();
        Map<String, Integer> caps = Map.of("culture", 1, "tag", 2);
        ThresholdSearch.Result result = ThresholdSearch.search(data.probs(), data.rows(), data.truth(), data.labels(),
                3, caps, true);
        BinarizationRule rule = new BinarizationRule(result.thresholds(), 3, caps);
        assertThat(F2.mean(data.probs(), data.rows(), data.truth(), rule, data.labels()))
                .isCloseTo(result.f2(), within(1e-12));
    }

    @Test
    void isDeterministic() {
        F2Fixture fixture = F2Fixture.load();
        ThresholdSearch.Result first = ThresholdSearch.search(fixture.probs(), fixture.rows(), fixture.truth(),
                fixture.labels(), 10, true);
        ThresholdSearch.Result again = ThresholdSearch.search(fixture.probs(), fixture.rows(), fixture.truth(),
                fixture.labels(), 10, true);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void withoutLabelsOfEnoughSupportThePerLabelSearchIsTheGroupRuleExactly() {
        F2Fixture fixture = F2Fixture.load();
        ThresholdSearch.Result groups = ThresholdSearch.search(fixture.probs(), fixture.rows(), fixture.truth(),
                fixture.labels(), 10, true);
        ThresholdSearch.Result none = ThresholdSearch.labelThresholds(fixture.probs(), fixture.rows(), fixture.truth(),
                fixture.labels(), 10, groups.thresholds(), fixture.rows() + 1, 10);
        assertThat(none.thresholds()).isEqualTo(groups.thresholds());
        assertThat(none.f2()).isCloseTo(groups.f2(), within(1e-12));
        // every label given its group's threshold as its own: the same decisions as the group rule
        Map<String, Double> same = new java.util.LinkedHashMap<>();
        for (int id = 0; id < fixture.labels().size(); id++) {
            same.put(fixture.labels().name(id), groups.thresholds().forGroup(fixture.labels().group(id)));
        }
        BinarizationRule byLabel = new BinarizationRule(groups.thresholds().withLabelThresholds(same), 10);
        assertThat(F2.mean(fixture.probs(), fixture.rows(), fixture.truth(), byLabel, fixture.labels()))
                .isCloseTo(groups.f2(), within(1e-12));
    }
}
