package dev.imet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imet.data.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelReportTest {
    private static final LabelSet LABELS = new LabelSet(List.of("culture::a", "tag::b", "tag::c", "tag::d"));

    @Test
    void countsEachLabelAndItsSharesAddUpToTheMeanF2() {
        // image 0: truth a,b predicted a,c; image 1: truth b predicted b; image 2: truth d predicted b (top-1 rule)
        float[] probs = {
            0.9f, 0.1f, 0.8f, 0.0f,
            0.0f, 0.7f, 0.0f, 0.0f,
            0.0f, 0.05f, 0.01f, 0.02f,
        };
        List<int[]> truth = List.of(new int[] {0, 1}, new int[] {1}, new int[] {3});
        BinarizationRule rule = new BinarizationRule(Thresholds.global(0.5), 10);
        List<LabelReport.Row> rows = LabelReport.of(probs, 3, truth, LABELS, rule);

        assertThat(rows).extracting(LabelReport.Row::name).containsExactly("tag::b", "culture::a", "tag::d", "tag::c");
        LabelReport.Row b = rows.get(0);
        assertThat(b.support()).isEqualTo(2);
        assertThat(b.predicted()).isEqualTo(2);
        assertThat(b.truePositives()).isEqualTo(1);
        assertThat(b.precision()).isEqualTo(0.5);
        assertThat(b.recall()).isEqualTo(0.5);
        assertThat(rows.get(3).support()).isZero();
        assertThat(rows.get(3).recall()).isNaN();
        assertThat(rows.get(2).predicted()).isZero();
        assertThat(rows.get(2).precision()).isNaN();

        double sum = rows.stream().mapToDouble(LabelReport.Row::f2Contribution).sum()
                + LabelReport.emptyImagesShare(probs, 3, truth, LABELS, rule);
        assertThat(sum).isCloseTo(F2.mean(probs, 3, truth, rule, LABELS), within(1e-12));
        // image 0: tp 1 (a), fn 1 (b), fp 1 (c): share of a = 5 / (5 + 4 + 1) = 0.5; image 1: share of b = 1
        assertThat(rows.get(1).f2Contribution()).isCloseTo(0.5 / 3, within(1e-12));
        assertThat(b.f2Contribution()).isCloseTo(1.0 / 3, within(1e-12));
    }
}
