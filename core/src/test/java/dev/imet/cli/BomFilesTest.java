package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.data.AttributeIdsFile;
import dev.imet.data.DataFolder;
import dev.imet.data.Sample;
import dev.imet.data.TestData;
import dev.imet.data.FoldSplit;
import dev.imet.inference.PredictionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spreadsheet tools save CSVs with a UTF-8 byte-order mark and CRLF line ends: every command, through the real
 * command line, reads such files as it reads plain ones.
 */
class BomFilesTest {
    @TempDir
    Path dir;

    @Test
    void aBomFileIsAcceptedByEveryCommand() throws IOException {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 12, 4, 8);
        Path solution = data.resolve("solution.csv");
        Map<String, int[]> truth = AttributeIdsFile.read(solution).stream()
                .collect(Collectors.toMap(Sample::id, Sample::labels));
        for (String csv : List.of("labels.csv", "train.csv", "sample_submission.csv", "solution.csv")) {
            toBomAndCrlf(data.resolve(csv));
        }

        var check = CommandRunner.run("check-data", "--data", data.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("ok: 12 train images, 4 test images, 20 labels");

        // what train, validate and predict read
        DataFolder folder = DataFolder.load(data);
        assertThat(folder.labels().name(0)).isEqualTo("culture::dark");
        assertThat(folder.train()).hasSize(12);
        assertThat(folder.testIds()).containsExactlyInAnyOrderElementsOf(truth.keySet());

        var folds = CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3");
        assertThat(folds.exitCode()).as(folds.err()).isZero();
        Path foldsCsv = data.resolve("folds.csv");
        toBomAndCrlf(foldsCsv);
        FoldSplit split = FoldSplit.of(folder, foldsCsv, 0);
        assertThat(split.train().size() + split.valid().size()).isEqualTo(12);

        // predictions that are the truth, so that the score shows every id was read as written
        List<String> ids = folder.testIds();
        float[] probs = new float[ids.size() * 20];
        for (int row = 0; row < ids.size(); row++) {
            for (int label : truth.get(ids.get(row))) {
                probs[row * 20 + label] = 0.9f;
            }
        }
        Path predictions = dir.resolve("test.npz");
        new PredictionFile(ids, 20, probs).write(predictions);
        Path submission = dir.resolve("submission.csv");
        var submit = CommandRunner.run("make-submission", predictions.toString(), "--data", data.toString(),
                "--threshold", "0.5", "--out", submission.toString());
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        toBomAndCrlf(submission);

        var score = CommandRunner.run("score", submission.toString(), solution.toString(), "--baseline", data.toString());
        assertThat(score.exitCode()).as(score.err()).isZero();
        assertThat(score.out()).startsWith("f2 1.0000").contains("baseline f2");
    }

    private static void toBomAndCrlf(Path csv) throws IOException {
        String text = Files.readString(csv);
        assertThat(text).doesNotStartWith("\uFEFF").doesNotContain("\r");
        Files.writeString(csv, "\uFEFF" + text.replace("\n", "\r\n"));
    }
}
