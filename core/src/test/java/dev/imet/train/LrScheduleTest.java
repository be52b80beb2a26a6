package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imet.run.TrainConfig;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void stageOneRunsAtFullRate() {
        var s = new LrSchedule(10, 100, 0.1, TrainConfig.Decay.TRIANGULAR);
        assertThat(s.factor(0)).isEqualTo(1.0);
        assertThat(s.factor(9)).isEqualTo(1.0);
        assertThat(s.inStage1(9)).isTrue();
        assertThat(s.inStage1(10)).isFalse();
    }

    @Test
    void warmUpIsLinearThenTriangularDecayReachesZero() {
        var s = new LrSchedule(0, 100, 0.1, TrainConfig.Decay.TRIANGULAR);
        assertThat(s.factor(0)).isCloseTo(0.1, within(1e-12));
        assertThat(s.factor(4)).isCloseTo(0.5, within(1e-12));
        assertThat(s.factor(9)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(10 + 44)).isCloseTo(0.5, within(1e-12));
        assertThat(s.factor(99)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void cosineDecaysThroughHalfAtTheMiddle() {
        var s = new LrSchedule(0, 110, 1 / 11.0, TrainConfig.Decay.COSINE);
        assertThat(s.factor(9)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(10 + 49)).isCloseTo(0.5, within(1e-12));
        assertThat(s.factor(109)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void factorNeverIncreasesAfterWarmUp() {
        var s = new LrSchedule(5, 57, 0.2, TrainConfig.Decay.TRIANGULAR);
        long warmupEnd = 5 + Math.round(57 * 0.2);
        for (long step = warmupEnd; step < 62; step++) {
            assertThat(s.factor(step)).isLessThanOrEqualTo(s.factor(step - 1));
        }
    }
}
