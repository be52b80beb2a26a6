package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.data.TestData;
import dev.imet.report.RunFixtures;
import dev.imet.run.RunStatus.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runs} through the real command line: a real run next to runs in every other state, at any depth. */
class RunsCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsEveryRunUnderTheFolderBestFirst() throws Exception {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 48, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
        Path runs = dir.resolve("runs");
        var train = CommandRunner.run("train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet",
                "--size", "32", "--epochs", "1", "--batch-size", "8", "--workers", "1", "--run-dir",
                runs.resolve("real").toString());
        assertThat(train.exitCode()).as(train.err()).isZero();

        Path going = RunFixtures.run(runs.resolve("going"), "resnet18", 0, 1e-3, 10);
        RunFixtures.status(going, State.RUNNING, 10, 500, 0.97, ProcessHandle.current().pid(), null);
        Path stopped = RunFixtures.run(runs.resolve("deeper/stopped"), "resnet18", 1, 1e-3, 10);
        RunFixtures.status(stopped, State.STOPPED_EARLY, 300, 500, 0.96, RunFixtures.deadPid(),
                "early stop: no better F2 in 4 checks");
        Path interrupted = RunFixtures.run(runs.resolve("deeper/interrupted"), "resnet18", 2, 1e-3, 10);
        RunFixtures.status(interrupted, State.INTERRUPTED, 200, 500, 0.95, RunFixtures.deadPid(), null);
        Path killed = RunFixtures.run(runs.resolve("killed"), "resnet18", 3, 1e-3, 10);
        RunFixtures.status(killed, State.RUNNING, 100, 500, 0.94, RunFixtures.deadPid(), null);
        Path failed = RunFixtures.run(runs.resolve("failed"), "resnet18", 4, 1e-3, 10);
        RunFixtures.status(failed, State.FAILED, 50, 500, null, RunFixtures.deadPid(), "disk full");
        Path older = RunFixtures.run(runs.resolve("older"), "resnet18", 4, 1e-3, 10);
        Files.writeString(older.resolve("config.json"), "{\"version\": 3}");

        var result = CommandRunner.run("runs", runs.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).startsWith("run ").contains("architecture", "best F2", "steps", "ended");
        assertThat(lines.subList(1, lines.size())).hasSize(7);
        assertThat(lines.get(1)).startsWith("going ").contains("0.9700", "10/500", "running");
        assertThat(lines.get(2)).startsWith("deeper/stopped ").contains("stopped early", "no better F2");
        assertThat(lines.get(3)).startsWith("deeper/interrupted ").contains("interrupted");
        assertThat(lines.get(4)).startsWith("killed ").contains("killed", "is gone");
        assertThat(lines.get(5)).startsWith("real ").contains("tiny_resnet", "32 px", "finished");
        assertThat(lines.get(6)).startsWith("failed ").contains("failed", "disk full");
        assertThat(lines.get(7)).startsWith("older ").contains("unreadable config.json: no 'format' key");
    }

    @Test
    void aFolderWithoutRunsSaysSoAndAMissingOneIsBadInput() {
        var empty = CommandRunner.run("runs", dir.toString());
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).isEqualTo("no runs under " + dir + " (a run folder holds config.json)\n");
        var missing = CommandRunner.run("runs", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).isEqualTo("error: " + dir.resolve("nope") + ": no such folder\n");
    }

    @Test
    void helpSaysTheDefaultFolder() {
        var help = CommandRunner.run("runs", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("[DIR]", "(default: runs)");
    }
}
