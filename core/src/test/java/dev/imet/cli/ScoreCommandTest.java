package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int score(String submission, String solution) throws IOException {
        Path submissionCsv = dir.resolve("submission.csv");
        Path solutionCsv = dir.resolve("solution.csv");
        Files.writeString(submissionCsv, submission);
        Files.writeString(solutionCsv, solution);
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute("score", submissionCsv.toString(), solutionCsv.toString());
    }

    @Test
    void printsTheMeanF2WithFourDecimals() throws IOException {
        // a: perfect (1); b: tp 1, fn 1, fp 2 -> 5/11; c: no true and no predicted labels (1)
        int exit = score("id,attribute_ids\nb,1 2 3\na,7\nc,\n", "id,attribute_ids\na,7\nb,1 4\nc,\n");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString().trim()).isEqualTo(String.format(java.util.Locale.ROOT, "f2 %.4f", (2 + 5.0 / 11) / 3));
        assertThat(out.toString().trim()).isEqualTo("f2 0.8182");
    }

    @Test
    void anIdMissingFromTheSubmissionIsBadInput() throws IOException {
        assertThat(score("id,attribute_ids\na,1\n", "id,attribute_ids\na,1\nb,2\n")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("submission.csv: no row for id b");
    }

    @Test
    void anIdTheSolutionDoesNotKnowIsBadInput() throws IOException {
        assertThat(score("id,attribute_ids\na,1\nq,2\n", "id,attribute_ids\na,1\n")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("submission.csv: id q is not in");
    }

    @Test
    void aMalformedLabelIsBadInputNamingTheLine() throws IOException {
        assertThat(score("id,attribute_ids\na,1 x\n", "id,attribute_ids\na,1\n")).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("submission.csv line 2: label id 'x' is not an integer");
    }
}
