package dev.imet.report;

import static dev.imet.report.RunFixtures.METRICS_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.run.RunStatus.State;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsConfigAndStatus() {
        Path run = RunFixtures.run(dir.resolve("r"), "resnet34", 2, 1e-3, 5);
        RunFixtures.status(run, State.STOPPED_EARLY, 40, 50, 0.61, RunFixtures.deadPid(), "no better F2 in 4 checks");
        RunFixtures.curves(run);
        RunSummary s = RunReader.read(run, "r");
        assertThat(s.arch()).isEqualTo("resnet34");
        assertThat(s.fold()).isEqualTo(2);
        assertThat(s.inputSize()).isEqualTo(64);
        assertThat(s.epochs()).isEqualTo(5);
        assertThat(s.bestF2()).isEqualTo(0.61);
        assertThat(s.steps()).isEqualTo(40);
        assertThat(s.totalSteps()).isEqualTo(50);
        assertThat(s.ending()).isEqualTo(RunEnding.STOPPED_EARLY);
        assertThat(s.notes()).containsExactly("no better F2 in 4 checks");
        assertThat(s.options()).containsEntry("optimizer.lr", "0.001").containsEntry("network.arch", "resnet34")
                .containsKey("provenance.data_fingerprint").doesNotContainKey("run_dir");
        assertThat(s.curves()).isEqualTo(run.resolve("curves.png"));
        assertThat(s.labels()).isNull();
    }

    @Test
    void aRunningRunIsRunningWhileItsProcessLivesAndKilledAfter() {
        Path alive = RunFixtures.run(dir.resolve("alive"), "resnet18", 0, 1e-3, 5);
        RunFixtures.status(alive, State.RUNNING, 10, 50, null, ProcessHandle.current().pid(), null);
        Path dead = RunFixtures.run(dir.resolve("dead"), "resnet18", 0, 1e-3, 5);
        long pid = RunFixtures.deadPid();
        RunFixtures.status(dead, State.RUNNING, 10, 50, 0.3, pid, null);
        assertThat(RunReader.read(alive, "alive").ending()).isEqualTo(RunEnding.RUNNING);
        RunSummary killed = RunReader.read(dead, "dead");
        assertThat(killed.ending()).isEqualTo(RunEnding.KILLED);
        assertThat(killed.notes()).singleElement().asString().contains("process " + pid);
    }

    @Test
    void withoutStatusTheBestAndLastChecksComeFromMetrics() {
        Path run = RunFixtures.run(dir.resolve("old"), "resnet18", 0, 1e-3, 2);
        RunFixtures.write(run.resolve("metrics.csv"), METRICS_HEADER,
                "5,1.000,0.001,0.3,0.29,0.4500,0.20,100.0,300,1",
                "10,2.000,0.0005,0.2,0.25,0.5100,0.25,110.0,300,1",
                "15,3.000,0.0001,0.1,0.26,0.5000,0.30,120.5,300,0");
        RunSummary s = RunReader.read(run, "old");
        assertThat(s.bestF2()).isEqualTo(0.51);
        assertThat(s.bestThreshold()).isEqualTo(0.25);
        assertThat(s.bestStep()).isEqualTo(10);
        assertThat(s.steps()).isEqualTo(15);
        assertThat(s.totalSteps()).isNull();
        assertThat(s.imagesPerSecond()).isEqualTo(120.5);
        assertThat(s.ending()).isEqualTo(RunEnding.FINISHED);
        assertThat(s.notes()).containsExactly("no status.json: from metrics.csv");
    }

    @Test
    void aBadMetricsRowIsANoteNamingItsLine() {
        Path run = RunFixtures.run(dir.resolve("bad"), "resnet18", 0, 1e-3, 2);
        RunFixtures.write(run.resolve("metrics.csv"), METRICS_HEADER,
                "5,1.000,0.001,0.3,0.29,0.4500,0.20,100.0,300,1",
                "10,2.000,0.0005,0.2,0.25,oops,0.25,110.0,300,1");
        RunSummary s = RunReader.read(run, "bad");
        assertThat(s.bestF2()).isNull();
        assertThat(s.ending()).isEqualTo(RunEnding.UNKNOWN);
        assertThat(s.notes()).first().asString().startsWith("unreadable metrics.csv: line 3: not a number")
                .contains("oops");
    }

    @Test
    void unreadableConfigOrStatusAreNotesNotFailures() throws Exception {
        Path run = RunFixtures.run(dir.resolve("older"), "resnet18", 0, 1e-3, 2);
        Files.writeString(run.resolve("config.json"), Files.readString(run.resolve("config.json"))
                .replace("\"format\" : 2", "\"format\" : 0"));
        Files.writeString(run.resolve("status.json"), "{not json");
        RunSummary s = RunReader.read(run, "older");
        assertThat(s.options()).isNull();
        assertThat(s.arch()).isNull();
        assertThat(s.ending()).isEqualTo(RunEnding.UNKNOWN);
        assertThat(s.notes().get(0)).startsWith("unreadable config.json: format 0 is not one")
                .doesNotContain(run.toString());
        assertThat(s.notes().get(1)).startsWith("unreadable status.json: not a run status");
    }

    @Test
    void findsRunFoldersAtAnyDepth() throws Exception {
        RunFixtures.run(dir.resolve("a"), "resnet18", 0, 1e-3, 1);
        RunFixtures.run(dir.resolve("x/y/b"), "resnet18", 0, 1e-3, 1);
        Files.createDirectories(dir.resolve("x/not-a-run"));
        Files.writeString(dir.resolve("x/not-a-run/metrics.csv"), METRICS_HEADER + "\n");
        Files.createSymbolicLink(dir.resolve("x/link"), dir.resolve("x/y/b"));
        assertThat(RunReader.find(dir)).containsExactly(dir.resolve("a"), dir.resolve("x/link"), dir.resolve("x/y/b"));
        assertThat(Leaderboard.under(dir).runs()).extracting(RunSummary::name)
                .containsExactlyInAnyOrder("a", Path.of("x/link").toString(), Path.of("x/y/b").toString());
        assertThatThrownBy(() -> RunReader.find(dir.resolve("nope"))).isInstanceOf(InputException.class)
                .hasMessage(dir.resolve("nope") + ": no such folder");
    }
}
