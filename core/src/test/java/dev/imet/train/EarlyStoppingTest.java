package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    @Test
    void keepsTheBestCheckAndStopsWhenTheChecksWithoutImprovementReachThePatience() {
        EarlyStopping stopping = new EarlyStopping(3);
        assertThat(stopping.record(10, 0.5, 0.2)).isTrue();
        assertThat(stopping.record(20, 0.4, 0.1)).isFalse();
        assertThat(stopping.record(30, 0.5, 0.1)).as("a tie is no improvement").isFalse();
        assertThat(stopping.stopReason()).isNull();
        assertThat(stopping.record(40, 0.45, 0.1)).isFalse();
        assertThat(stopping.stopReason()).contains("no better F2 in 3 checks", "0.5000", "step 10");
        assertThat(stopping.bestStep()).isEqualTo(10);
        assertThat(stopping.bestThreshold()).isEqualTo(0.2);
    }

    @Test
    void anImprovementResetsTheCount() {
        EarlyStopping stopping = new EarlyStopping(2);
        stopping.record(1, 0.3, 0.1);
        stopping.record(2, 0.2, 0.1);
        assertThat(stopping.record(3, 0.4, 0.1)).isTrue();
        stopping.record(4, 0.2, 0.1);
        assertThat(stopping.stopReason()).isNull();
    }

    @Test
    void patienceZeroNeverStops() {
        EarlyStopping stopping = new EarlyStopping(0);
        stopping.record(1, 0.5, 0.1);
        for (int i = 2; i < 100; i++) {
            stopping.record(i, 0.1, 0.1);
        }
        assertThat(stopping.stopReason()).isNull();
    }

    @Test
    void itsStateRoundTripsThroughTheCheckpointMap() {
        EarlyStopping stopping = new EarlyStopping(1);
        stopping.record(5, 0.6, 0.15);
        stopping.record(9, 0.2, 0.15);
        Map<String, Object> saved = stopping.state();
        EarlyStopping restored = new EarlyStopping(1);
        restored.restore(saved);
        assertThat(restored.stopReason()).isEqualTo(stopping.stopReason()).isNotNull();
        assertThat(restored.bestF2()).isEqualTo(0.6);
        assertThat(restored.bestStep()).isEqualTo(5);
        assertThat(restored.state()).isEqualTo(saved);
    }
}
