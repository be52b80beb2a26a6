package dev.imet.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConstantBaselineTest {
    @Test
    void picksTheMostFrequentLabelsAndTheBestCount() {
        // label 2 is in every training row, label 0 in half; the truth always holds 2 and sometimes 0
        List<int[]> train = List.of(new int[] {0, 2}, new int[] {2}, new int[] {0, 2, 3}, new int[] {1, 2});
        List<int[]> truth = List.of(new int[] {2}, new int[] {0, 2}, new int[] {2});
        ConstantBaseline.Result r = ConstantBaseline.best(train, 4, truth, 3);
        // k=1 {2}: F2 = 1, 5/9, 1 -> 0.8519; k=2 {0,2}: 5/6, 1, 5/6 -> 0.8889; k=3 adds label 1 or 3: lower
        assertThat(r.k()).isEqualTo(2);
        assertThat(r.labels()).containsExactly(0, 2);
        assertThat(r.f2()).isCloseTo((5 / 6.0 + 1 + 5 / 6.0) / 3, within(1e-12));
    }
}
