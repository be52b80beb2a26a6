package dev.imet.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.data.LabelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    private static final LabelSet LABELS = new LabelSet(List.of("culture::a", "tag::b", "tag::c", "culture::d"));

    @Test
    void oneNumberAppliesToEveryGroup() {
        Thresholds thresholds = Thresholds.parse("0.15");
        assertThat(thresholds.isGlobal()).isTrue();
        assertThat(thresholds.forGroup("anything")).isEqualTo(0.15);
        assertThat(thresholds.perLabel(LABELS)).containsExactly(0.15f, 0.15f, 0.15f, 0.15f);
        assertThat(thresholds.toMap(LABELS)).containsExactly(Map.entry("culture", 0.15), Map.entry("tag", 0.15));
        assertThat(thresholds.format()).isEqualTo("0.15");
    }

    @Test
    void perGroupThresholdsFollowTheGroupOfEachLabel() {
        Thresholds thresholds = Thresholds.parse("tag=0.10, culture=0.28");
        assertThat(thresholds.isGlobal()).isFalse();
        assertThat(thresholds.perLabel(LABELS)).containsExactly(0.28f, 0.1f, 0.1f, 0.28f);
        assertThat(thresholds.toMap(LABELS)).containsExactly(Map.entry("culture", 0.28), Map.entry("tag", 0.1));
        assertThat(thresholds.format()).isEqualTo("tag=0.1,culture=0.28");
        assertThat(Thresholds.parse(thresholds.format())).isEqualTo(thresholds);
    }

    @Test
    void aGroupWithoutThresholdOrAnUnknownGroupIsBadInput() {
        assertThatThrownBy(() -> Thresholds.parse("culture=0.2").perLabel(LABELS))
                .isInstanceOf(InputException.class).hasMessageContaining("no threshold for label group 'tag'");
        assertThatThrownBy(() -> Thresholds.parse("culture=0.2,tag=0.1,medium=0.3").toMap(LABELS))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown label group 'medium'");
    }

    @Test
    void malformedSpecificationsAreRejected() {
        assertThatThrownBy(() -> Thresholds.parse("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a threshold: 'abc'");
        assertThatThrownBy(() -> Thresholds.parse("1.5")).hasMessageContaining("must be in [0, 1]");
        assertThatThrownBy(() -> Thresholds.parse("=0.2")).hasMessageContaining("expected GROUP=THRESHOLD");
        assertThatThrownBy(() -> Thresholds.parse("tag=0.1,tag=0.2")).hasMessageContaining("given twice");
    }
}
