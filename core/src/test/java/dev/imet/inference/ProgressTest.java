package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void aPlainLineSaysImagesDoneSpeedAndTimeLeft() {
        try (Progress progress = new Progress("predict-test", 400, false, Duration.ofHours(1))) {
            progress.advance(100);
            assertThat(progress.line()).matches("predict-test: 100/400 images \\(25\\.0 %\\), [\\d.]+ images/s, \\d+:\\d\\d left");
        }
    }

    @Test
    void timeLeftReadsAsAClock() {
        assertThat(Progress.clock(59)).isEqualTo("0:59");
        assertThat(Progress.clock(754)).isEqualTo("12:34");
        assertThat(Progress.clock(3 * 3600 + 5 * 60 + 7)).isEqualTo("3:05:07");
    }
}
