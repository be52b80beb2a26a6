package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void unknownSubcommandIsAUsageError() {
        assertThat(Main.commandLine().execute("no-such-command")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void helpListsEveryCommandOfTheSpec() {
        var sw = new java.io.StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new java.io.PrintWriter(sw));
        assertThat(cl.execute("--help")).isZero();
        assertThat(sw.toString()).contains("sample-data", "check-data", "make-folds", "train", "validate",
                "predict-test", "predict-valid", "make-submission", "score", "inspect-weights", "benchmark");
    }
}
