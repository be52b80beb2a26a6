package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.data.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} through the real command line, on two real training runs. */
class ReportCommandTest {
    @TempDir
    static Path dir;

    static Path first;
    static Path second;

    static Path train(String name, String lr) {
        Path run = dir.resolve("runs").resolve(name);
        var train = CommandRunner.run("train", "--data", dir.resolve("data").toString(), "--fold", "0", "--arch",
                "tiny_resnet", "--size", "32", "--epochs", "1", "--batch-size", "8", "--workers", "1", "--lr", lr,
                "--run-dir", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        return run;
    }

    @BeforeAll
    static void twoRuns() {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 48, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
        first = train("slow", "1e-3");
        second = train("fast", "3e-3");
    }

    @Test
    void writesOnePageForTheRunsGivenWithTheLabelTableOnceValidated() throws Exception {
        Path out = dir.resolve("out/report.html");
        var result = CommandRunner.run("report", first.toString(), second.toString(), "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("wrote " + out + ": 2 runs, best ").contains("(f2 0.");
        String html = Files.readString(out);
        assertThat(html).contains("data-run=\"slow\"", "data-run=\"fast\"", "tiny_resnet", "finished",
                "optimizer.lr", "0.003", "run <code>validate --model ")
                .doesNotContain("loop.seed", "no curves.png");
        assertThat(html.split("<img alt=\"curves of ")).hasSize(3);

        for (Path run : new Path[] {first, second}) {
            var validate = CommandRunner.run("validate", "--model", run.toString(), "--tta", "1", "--workers", "1");
            assertThat(validate.exitCode()).as(validate.err()).isZero();
        }
        assertThat(CommandRunner.run("report", first.toString(), second.toString(), "--out", out.toString())
                .exitCode()).isZero();
        String validated = Files.readString(out);
        assertThat(validated).doesNotContain("run <code>validate --model ")
                .contains("<table class=\"sortable\" id=\"labels-table\">", "labels.csv, 20 labels",
                        "<th class=\"num\" data-key=\"support\">", "culture::", "tag::");
    }

    @Test
    void aFolderThatIsNotARunIsNamedInOneLine() {
        Path data = dir.resolve("data");
        var result = CommandRunner.run("report", first.toString(), data.toString(), "--out",
                dir.resolve("never.html").toString());
        assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(result.err()).isEqualTo("error: " + data + ": not a run folder (no config.json)\n");
        assertThat(dir.resolve("never.html")).doesNotExist();

        var missing = CommandRunner.run("report", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err()).isEqualTo("error: " + dir.resolve("nope") + ": no such folder\n");
    }

    @Test
    void needsARunAndSaysItsDefaults() {
        assertThat(CommandRunner.run("report").exitCode()).isEqualTo(Main.EXIT_USAGE);
        var help = CommandRunner.run("report", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("RUN...", "--out=FILE", "(default: report.html)");
    }
}
