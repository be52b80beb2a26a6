package dev.imet.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.run.RunStatus.State;
import org.junit.jupiter.api.Test;

class RunEndingTest {
    @Test
    void aRunningRunWhoseProcessIsGoneWasKilled() {
        assertThat(RunEnding.of(State.RUNNING, false).label()).isEqualTo("running");
        assertThat(RunEnding.of(State.RUNNING, true).label()).isEqualTo("killed");
    }

    @Test
    void everyOtherStateIsItsOwnEndingWhateverTheProcess() {
        assertThat(RunEnding.of(State.FINISHED, true).label()).isEqualTo("finished");
        assertThat(RunEnding.of(State.STOPPED_EARLY, false).label()).isEqualTo("stopped early");
        assertThat(RunEnding.of(State.INTERRUPTED, true).label()).isEqualTo("interrupted");
        assertThat(RunEnding.of(State.FAILED, false).label()).isEqualTo("failed");
    }

    @Test
    void withoutStatusARunIsFinishedOnlyWhenItsLastCheckIsAtItsLastEpoch() {
        assertThat(RunEnding.fromMetrics(3.0, 3)).isEqualTo(RunEnding.FINISHED);
        assertThat(RunEnding.fromMetrics(2.5, 3)).isEqualTo(RunEnding.UNKNOWN);
        assertThat(RunEnding.fromMetrics(null, 3)).isEqualTo(RunEnding.UNKNOWN);
        assertThat(RunEnding.fromMetrics(3.0, null)).isEqualTo(RunEnding.UNKNOWN);
    }
}
