package dev.imet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.cli.CommandRunner;
import dev.imet.data.TestData;
import dev.imet.predict.PredictionFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline through the real command line on a tiny generated data set: make folds, train one epoch,
 * validate, predict, make a submission, score it. Checks the files each step promises, not the score.
 */
class PipelineEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void trainWithoutFoldOrArchIsAUsageError() {
        assertThat(CommandRunner.run("train", "--data", dir.toString()).exitCode()).isEqualTo(2);
        assertThat(CommandRunner.run("train", "--resume").exitCode()).isEqualTo(2);
    }

    @Test
    void trainValidatePredictSubmitScore() throws Exception {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 60, 12, 32);
        Path run = dir.resolve("run");

        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
        var train = CommandRunner.run("train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet",
                "--size", "32", "--epochs", "1", "--batch-size", "8", "--valid-every", "0.5", "--run-dir", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        for (String file : new String[] {"config.json", "metrics.csv", "train.log", "model.safetensors", "model.json",
                "checkpoint.safetensors"}) {
            assertThat(run.resolve(file)).as(file).isRegularFile();
        }
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(3); // header + 2 half-epoch checks
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"arch\" : \"tiny_resnet\"", "data_fingerprint",
                "tool_version");

        var validate = CommandRunner.run("validate", "--model", run.toString(), "--tta", "2");
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.out()).containsPattern("f2 \\d\\.\\d{4} @ 0\\.\\d\\d");
        assertThat(Files.readString(run.resolve("model.json"))).contains("thresholds");

        Path test = dir.resolve("test.npz");
        assertThat(CommandRunner.run("predict-test", "--model", run.toString(), "--out", test.toString()).exitCode()).isZero();
        PredictionFile predictions = PredictionFile.read(test);
        assertThat(predictions.ids()).hasSize(12);
        assertThat(predictions.numClasses()).isEqualTo(20);

        Path valid = dir.resolve("valid.npz");
        assertThat(CommandRunner.run("predict-valid", "--model", run.toString(), "--out", valid.toString()).exitCode()).isZero();
        assertThat(PredictionFile.read(valid).ids()).hasSize((int) Files.readAllLines(data.resolve("folds.csv")).stream()
                .filter(l -> l.endsWith(",0")).count());

        Path submission = dir.resolve("submission.csv");
        var submit = CommandRunner.run("make-submission", test.toString(), "--data", data.toString(), "--thresholds-from",
                run.toString(), "--out", submission.toString());
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        assertThat(Files.readAllLines(submission)).hasSize(13).first().isEqualTo("id,attribute_ids");

        var score = CommandRunner.run("score", submission.toString(), data.resolve("solution.csv").toString(),
                "--baseline", data.toString());
        assertThat(score.exitCode()).as(score.err()).isZero();
        assertThat(score.out()).as(score.err()).containsPattern("f2 \\d\\.\\d{4}").contains("baseline f2");
    }
}
