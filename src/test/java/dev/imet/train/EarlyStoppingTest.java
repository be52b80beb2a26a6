package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    @Test
    void stopsWhenTheChecksWithoutImprovementReachThePatience() {
        RunState s = new RunState();
        s.bestF2 = 0.5;
        s.bestStep = 10;
        EarlyStopping stopping = new EarlyStopping(3);
        s.checksWithoutImprovement = 2;
        stopping.update(s);
        assertThat(s.stopReason).isNull();
        s.checksWithoutImprovement = 3;
        stopping.update(s);
        assertThat(s.stopReason).contains("no better F2 in 3 checks", "0.5000", "step 10");
    }

    @Test
    void patienceZeroNeverStops() {
        RunState s = new RunState();
        s.checksWithoutImprovement = 100;
        new EarlyStopping(0).update(s);
        assertThat(s.stopReason).isNull();
    }
}
