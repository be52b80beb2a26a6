package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.inference.PredictionFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeSubmissionCommandTest {
    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path submission;

    @BeforeEach
    void writeDataFolder() throws IOException {
        Files.writeString(data.resolve("labels.csv"),
                "attribute_id,attribute_name\n0,culture::a\n1,culture::b\n2,tag::c\n3,tag::d\n");
        Files.writeString(data.resolve("sample_submission.csv"), "id,attribute_ids\nz9,0 1 2\nb2,0 1 2\nm5,0 1 2\n");
        submission = data.resolve("submission.csv");
    }

    private int run(String... args) {
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private Path predictions(String name, List<String> ids, int numClasses, float... probs) {
        Path file = data.resolve(name);
        new PredictionFile(ids, numClasses, probs).write(file);
        return file;
    }

    @Test
    void averagesTheFilesAlignedOnTheSampleIdsAndWritesIdsAscending() throws IOException {
        // The two files list the ids in different orders; the second has an extra id.
        Path first = predictions("a.npz", List.of("z9", "b2", "m5"), 4,
                0.9f, 0.0f, 0.0f, 0.0f,
                0.0f, 0.4f, 0.3f, 0.0f,
                0.0f, 0.0f, 0.05f, 0.0f);
        Path second = predictions("b.npz", List.of("extra", "m5", "b2", "z9"), 4,
                1.0f, 1.0f, 1.0f, 1.0f,
                0.0f, 0.0f, 0.0f, 0.08f,
                0.0f, 0.0f, 0.3f, 0.1f,
                0.9f, 0.0f, 0.3f, 0.0f);
        // mean: b2 = 0, 0.2, 0.3, 0.05; m5 = 0, 0, 0.025, 0.04; z9 = 0.9, 0, 0.15, 0

        int exit = run("make-submission", first.toString(), second.toString(), "--data", data.toString(),
                "--threshold", "0.1", "--out", submission.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(Files.readString(submission)).isEqualTo("id,attribute_ids\nb2,1 2\nm5,3\nz9,0 2\n");
        assertThat(out.toString()).contains("3 images", "threshold 0.1");
    }

    @Test
    void appliesPerGroupThresholdsAndCaps() throws IOException {
        Path file = predictions("a.npz", List.of("b2", "m5", "z9"), 4,
                0.5f, 0.4f, 0.3f, 0.2f,
                0.5f, 0.4f, 0.3f, 0.2f,
                0.5f, 0.4f, 0.3f, 0.2f);
        assertThat(run("make-submission", file.toString(), "--data", data.toString(), "--threshold",
                "culture=0.1,tag=0.25", "--max-per-group", "culture=1", "--out", submission.toString())).isZero();
        assertThat(Files.readString(submission)).isEqualTo("id,attribute_ids\nb2,0 2\nm5,0 2\nz9,0 2\n");
    }

    @Test
    void rankMeanAveragesPerClassRanks() throws IOException {
        // Label 0 is on very different scales in the two files; ranks make them count the same.
        Path a = predictions("a.npz", List.of("b2", "m5", "z9"), 4,
                0.50f, 0, 0, 0,
                0.10f, 0, 0, 0,
                0.90f, 0, 0, 0);
        Path b = predictions("b.npz", List.of("b2", "m5", "z9"), 4,
                0.02f, 0, 0, 0,
                0.00f, 0, 0, 0,
                0.01f, 0, 0, 0);
        // label 0 ranks: a = (0.5, 0, 1), b = (1, 0, 0.5) -> mean 0.75, 0, 0.75; labels 1-3 tie at 0.5
        assertThat(run("make-submission", a.toString(), b.toString(), "--rank-mean", "--threshold", "0.6",
                "--data", data.toString(), "--out", submission.toString())).isZero();
        assertThat(Files.readString(submission)).isEqualTo("id,attribute_ids\nb2,0\nm5,1\nz9,0\n");
        // With threshold 0.4 the shared mid rank 0.5 of labels 1-3 passes too (their probabilities are all 0).
        assertThat(run("make-submission", a.toString(), b.toString(), "--rank-mean", "--threshold", "0.4",
                "--data", data.toString(), "--out", submission.toString())).isZero();
        assertThat(Files.readString(submission)).isEqualTo("id,attribute_ids\nb2,0 1 2 3\nm5,1 2 3\nz9,0 1 2 3\n");
    }

    @Test
    void aFileWithoutAnIdOfTheSampleIsBadInputAndNothingIsWritten() {
        Path complete = predictions("a.npz", List.of("b2", "m5", "z9"), 4, new float[12]);
        Path lacking = predictions("b.npz", List.of("b2", "z9"), 4, new float[8]);

        assertThat(run("make-submission", complete.toString(), lacking.toString(), "--data", data.toString(),
                "--out", submission.toString())).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains(lacking.toString()).contains("no prediction for id m5");
        assertThat(submission).doesNotExist();
        assertThat(data.toFile().list()).noneMatch(name -> name.startsWith(".submission.csv"));
    }

    @Test
    void anotherNumberOfClassesIsBadInputNamingTheFile() {
        Path file = predictions("three.npz", List.of("b2", "m5", "z9"), 3, new float[9]);
        assertThat(run("make-submission", file.toString(), "--data", data.toString(), "--out", submission.toString()))
                .isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains(file + ": 3 classes, but labels.csv has 4");
        assertThat(submission).doesNotExist();
    }

    @Test
    void aThresholdForAnUnknownGroupIsBadInputAndABadThresholdAUsageError() {
        Path file = predictions("a.npz", List.of("b2", "m5", "z9"), 4, new float[12]);
        assertThat(run("make-submission", file.toString(), "--data", data.toString(), "--threshold",
                "culture=0.1,tag=0.2,medium=0.3", "--out", submission.toString())).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("unknown label group 'medium'");
        assertThat(run("make-submission", file.toString(), "--threshold", "high")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("make-submission", file.toString(), "--max-labels", "0")).isEqualTo(Main.EXIT_USAGE);
        assertThat(submission).doesNotExist();
    }

    @Test
    void helpShowsTheDefaultThreshold() {
        assertThat(run("make-submission", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("--threshold=T", "(default: 0.1)", "--max-labels=N", "(default: 10)",
                "--rank-mean", "(default: submission.csv)");
    }
}
