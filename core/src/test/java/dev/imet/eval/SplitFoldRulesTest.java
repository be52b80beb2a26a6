package dev.imet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imet.data.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rules that validate chooses beyond the group thresholds, each chosen on one half of a fold and scored on the
 * other, so that a rule cannot win by fitting the rows it is scored on.
 */
class SplitFoldRulesTest {
    /** Probability rows with their true labels, and their two halves. */
    private record Fold(LabelSet labels, float[] probs, int rows, List<int[]> truth) {
        Fold half(int which) {
            int n = labels.size();
            int from = which == 0 ? 0 : rows / 2;
            int to = which == 0 ? rows / 2 : rows;
            return new Fold(labels, Arrays.copyOfRange(probs, from * n, to * n), to - from, truth.subList(from, to));
        }

        double f2(BinarizationRule rule) {
            return F2.mean(probs, rows, truth, rule, labels);
        }
    }

    private static LabelSet labels(int culture, int tag) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < culture; i++) {
            names.add("culture::c" + i);
        }
        for (int i = 0; i < tag; i++) {
            names.add("tag::t" + i);
        }
        return new LabelSet(names);
    }

    /**
     * Each label's probabilities on its own scale (from 0.25 to 1 times a shared shape), as a network gives frequent
     * and rare labels: each label wants a threshold near its own scale; one per group cannot fit all. Without
     * {@code ownScales} the scale is the group's (culture 0.3, tag 0.6) and every label equally frequent: the labels
     * of a group are then alike and the group thresholds the right rule. With them, labels 0..2, 8..10 and 16..18
     * are frequent, the others rare.
     */
    private static Fold labelScales(long seed, boolean ownScales) {
        LabelSet labels = labels(8, 12);
        int n = labels.size();
        Random random = new Random(seed);
        int rows = 2000;
        float[] probs = new float[rows * n];
        List<int[]> truth = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            List<Integer> trueLabels = new ArrayList<>();
            for (int label = 0; label < n; label++) {
                double prior = !ownScales ? 0.1 : label % 8 < 3 ? 0.25 : 0.03;
                if (random.nextDouble() < prior) {
                    trueLabels.add(label);
                }
            }
            if (trueLabels.isEmpty()) {
                trueLabels.add(random.nextInt(n));
            }
            for (int label = 0; label < n; label++) {
                double scale = ownScales ? 0.25 + 0.75 * ((label * 7) % n) / (n - 1.0) : label < 8 ? 0.3 : 0.6;
                double shape = trueLabels.contains(label) ? 0.35 + 0.65 * random.nextDouble()
                        : 0.55 * random.nextDouble();
                probs[row * n + label] = (float) (scale * shape);
            }
            truth.add(trueLabels.stream().mapToInt(Integer::intValue).toArray());
        }
        return new Fold(labels, probs, rows, truth);
    }

    @Test
    void perLabelThresholdsChosenOnOneHalfBeatTheGroupsOnTheOther() {
        Fold fold = labelScales(5, true);
        Fold choose = fold.half(0);
        Fold score = fold.half(1);
        ThresholdSearch.Result groups = ThresholdSearch.search(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, true);
        ThresholdSearch.Result perLabel = ThresholdSearch.labelThresholds(choose.probs(), choose.rows(),
                choose.truth(), choose.labels(), 10, groups.thresholds(), 20, 10);
        // what the search reports is what the rule scores on the rows it chose on
        assertThat(choose.f2(new BinarizationRule(perLabel.thresholds(), 10))).isCloseTo(perLabel.f2(), within(1e-12));
        assertThat(perLabel.thresholds().byLabel()).isNotEmpty();

        double heldOutGroups = score.f2(new BinarizationRule(groups.thresholds(), 10));
        double heldOutPerLabel = score.f2(new BinarizationRule(perLabel.thresholds(), 10));
        assertThat(heldOutPerLabel).as("held-out F2: per-label %s, groups %s", heldOutPerLabel, heldOutGroups)
                .isGreaterThan(heldOutGroups + 0.01);
    }

    @Test
    void onlyLabelsWithEnoughPositivesGetThresholdsAndShrinkageMovesThemPartWay() {
        Fold choose = labelScales(6, true).half(0);
        ThresholdSearch.Result groups = ThresholdSearch.search(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, true);
        int[] support = new int[choose.labels().size()];
        choose.truth().forEach(row -> Arrays.stream(row).forEach(label -> support[label]++));
        ThresholdSearch.Result some = ThresholdSearch.labelThresholds(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, groups.thresholds(), 100, 0);
        for (String name : some.thresholds().byLabel().keySet()) {
            assertThat(support[choose.labels().names().indexOf(name)]).as(name).isGreaterThanOrEqualTo(100);
        }
        // unshrunk, each lies on the grid
        some.thresholds().byLabel().values().forEach(own -> assertThat(own * 100).isCloseTo(Math.rint(own * 100),
                within(1e-9)));
        // labels are searched most frequent first; the first that moved saw every other label at its group's
        // threshold, in either search: shrunk, it keeps n / (n + K) of its distance from its group's threshold
        int first = -1;
        for (int label = 0; label < support.length; label++) {
            if (some.thresholds().byLabel().containsKey(choose.labels().name(label))
                    && (first < 0 || support[label] > support[first])) {
                first = label;
            }
        }
        String name = choose.labels().name(first);
        double own = some.thresholds().byLabel().get(name);
        double group = groups.thresholds().forGroup(choose.labels().group(first));
        ThresholdSearch.Result shrunk = ThresholdSearch.labelThresholds(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, groups.thresholds(), 100, support[first]);
        assertThat(shrunk.thresholds().byLabel().get(name)).isCloseTo((own + group) / 2, within(1e-4));
    }

    /**
     * Images with 2 to 4 true labels, ranked first within their image, but each image's probabilities on its own
     * scale (a network more or less sure of the whole image): no threshold fits every image, while how many labels
     * an image has varies little and its probability sum tells a little more.
     */
    private static Fold varyingCounts(long seed) {
        LabelSet labels = labels(10, 30);
        int n = labels.size();
        Random random = new Random(seed);
        int rows = 2000;
        float[] probs = new float[rows * n];
        List<int[]> truth = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            int k = 2 + random.nextInt(3);
            double scale = 0.15 + 0.85 * random.nextDouble();
            List<Integer> order = new ArrayList<>();
            for (int label = 0; label < n; label++) {
                order.add(label);
            }
            java.util.Collections.shuffle(order, random);
            for (int i = 0; i < n; i++) {
                double shape = i < k ? 0.55 + 0.45 * random.nextDouble()
                        : i < k + 5 ? 0.5 * random.nextDouble() : 0.02 * random.nextDouble();
                probs[row * n + order.get(i)] = (float) (scale * shape);
            }
            truth.add(order.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        return new Fold(labels, probs, rows, truth);
    }

    @Test
    void aLabelCountChosenOnOneHalfBeatsTheThresholdsOnTheOther() {
        Fold fold = varyingCounts(7);
        Fold choose = fold.half(0);
        Fold score = fold.half(1);
        ThresholdSearch.Result thresholds = ThresholdSearch.search(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, true);
        LabelCountSearch.Result count = LabelCountSearch.search(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, Map.of());
        BinarizationRule countRule = new BinarizationRule(thresholds.thresholds(), 10, Map.of(), count.labelCount());
        assertThat(choose.f2(countRule)).isCloseTo(count.f2(), within(1e-12));

        double heldOutThresholds = score.f2(new BinarizationRule(thresholds.thresholds(), 10));
        double heldOutCount = score.f2(countRule);
        assertThat(heldOutCount).as("held-out F2: count %s (%s), thresholds %s", heldOutCount, count.labelCount(),
                heldOutThresholds).isGreaterThan(heldOutThresholds + 0.01);
    }

    @Test
    void whereTheGroupsAreTheRightRuleShrunkPerLabelThresholdsLoseLittleOnTheOtherHalf() {
        Fold fold = labelScales(8, false);
        Fold choose = fold.half(0);
        Fold score = fold.half(1);
        ThresholdSearch.Result groups = ThresholdSearch.search(choose.probs(), choose.rows(), choose.truth(),
                choose.labels(), 10, true);
        ThresholdSearch.Result perLabel = ThresholdSearch.labelThresholds(choose.probs(), choose.rows(),
                choose.truth(), choose.labels(), 10, groups.thresholds(), 5, 10);
        assertThat(perLabel.f2()).as("on the half they were chosen on").isGreaterThanOrEqualTo(groups.f2());
        double heldOutGroups = score.f2(new BinarizationRule(groups.thresholds(), 10));
        double heldOutPerLabel = score.f2(new BinarizationRule(perLabel.thresholds(), 10));
        assertThat(heldOutPerLabel).as("held-out F2: per-label %s, groups %s", heldOutPerLabel, heldOutGroups)
                .isCloseTo(heldOutGroups, within(0.01));
    }
}
