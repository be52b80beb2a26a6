package dev.imet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.cli.CommandRunner;
import dev.imet.data.TestData;
import dev.imet.eval.LabelReport;
import dev.imet.model.SafeTensors;
import dev.imet.run.RunStatus;
import dev.imet.inference.PredictionFile;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
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
    void fineTuningFromPretrainedWeightsKeepsFrozenStagesAsLoaded() throws Exception {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 48, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
        Path first = dir.resolve("first");
        assertThat(CommandRunner.run("train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet", "--size",
                "32", "--epochs", "1", "--batch-size", "8", "--run-dir", first.toString()).exitCode()).isZero();
        Path pretrained = first.resolve("model.safetensors");

        // stage 1 trains the head only, stage 2 everything but the stem, layer1 and layer2
        Path tuned = dir.resolve("tuned");
        var train = CommandRunner.run("train", "--data", data.toString(), "--fold", "1", "--arch", "tiny_resnet", "--size",
                "32", "--epochs", "2", "--head-epochs", "1", "--freeze-stages", "3", "--batch-size", "8", "--pretrained",
                pretrained.toString(), "--run-dir", tuned.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        var before = SafeTensors.read(pretrained);
        // the checkpoint holds the final weights (the model files hold the best, which may be from stage 1)
        var after = SafeTensors.read(tuned.resolve("checkpoint.safetensors"));
        for (String frozen : new String[] {"conv1.weight", "layer1.0.conv1.weight", "layer2.0.bn1.weight"}) {
            assertThat(Arrays.equals(after.get(frozen).toFloats(), before.get(frozen).toFloats())).as(frozen).isTrue();
        }
        for (String trained : new String[] {"layer3.0.conv1.weight", "layer4.0.conv2.weight", "fc.weight"}) {
            assertThat(Arrays.equals(after.get(trained).toFloats(), before.get(trained).toFloats())).as(trained).isFalse();
        }
    }

    @Test
    void aDivergingRunStopsWithAClearMessage() {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 48, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
        var train = CommandRunner.run("train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet", "--size",
                "32", "--epochs", "3", "--batch-size", "8", "--lr", "1e12", "--clip-norm", "0", "--run-dir",
                dir.resolve("run").toString());
        assertThat(train.exitCode()).isEqualTo(1);
        assertThat(train.err()).contains("training diverged", "lower --lr");
        RunStatus status = RunStatus.read(dir.resolve("run")).orElseThrow();
        assertThat(status.state()).isEqualTo(RunStatus.State.FAILED);
        assertThat(status.stopReason()).contains("training diverged");
    }

    @Test
    void trainWithoutFoldOrArchIsAUsageError() {
        assertThat(CommandRunner.run("train", "--data", dir.toString()).exitCode()).isEqualTo(2);
        assertThat(CommandRunner.run("train", "--resume").exitCode()).isEqualTo(2);
    }

    private static void assertPng(Path file, int width, int height) throws java.io.IOException {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
        assertThat(image).as(file + " decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
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
                "tool_version", "\"head_bias_prior\" : true").containsPattern("\"head_bias\" : -\\d\\.\\d+");
        assertPng(run.resolve("curves.png"), 900, 750);

        var validate = CommandRunner.run("validate", "--model", run.toString(), "--tta", "2");
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        // one threshold per group by default
        assertThat(validate.out()).containsPattern("f2 \\d\\.\\d{4} @ culture=0\\.\\d\\d?,tag=0\\.\\d\\d?"); // 0.2, not 0.20
        assertThat(Files.readString(run.resolve("model.json"))).contains("thresholds");
        // labels.csv: every label once, and the labels' shares of the mean F2 add up to the F2 validate reports
        List<LabelReport.Row> labels = LabelReport.read(run.resolve("labels.csv"));
        assertThat(labels).hasSize(20).isSortedAccordingTo(
                java.util.Comparator.comparingInt(LabelReport.Row::support).reversed());
        double reported = Double.parseDouble(validate.out().replaceAll("(?s).*\\bf2 (\\d\\.\\d{4}) @.*", "$1"));
        assertThat(labels.stream().mapToDouble(LabelReport.Row::f2Contribution).sum())
                .isCloseTo(reported, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(validate.out()).contains("f2 by group", "culture", "tag", "wrote " + run.resolve("labels.csv"));
        assertPng(run.resolve("thresholds.png"), 800, 500);

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

    @Test
    void validateStoresTheRuleItWasAskedForAndMakeSubmissionUsesIt() throws Exception {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 60, 12, 32);
        Path run = dir.resolve("run");
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
        assertThat(CommandRunner.run("train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet",
                "--size", "32", "--epochs", "1", "--batch-size", "8", "--run-dir", run.toString()).exitCode()).isZero();
        Path test = dir.resolve("test.npz");
        assertThat(CommandRunner.run("predict-test", "--model", run.toString(), "--out", test.toString()).exitCode()).isZero();

        // unshrunk, each label's search can only keep or raise the fold's F2
        var own = CommandRunner.run("validate", "--model", run.toString(), "--per-group", "--label-thresholds", "1",
                "--label-shrinkage", "0");
        assertThat(own.exitCode()).as(own.err()).isZero();
        var f2 = java.util.regex.Pattern.compile("f2 (\\d\\.\\d{4}) @").matcher(own.out());
        assertThat(f2.find()).isTrue();
        double groups = Double.parseDouble(f2.group(1));
        assertThat(f2.find()).as(own.out()).isTrue();
        assertThat(Double.parseDouble(f2.group(1))).isGreaterThanOrEqualTo(groups);
        assertThat(own.out()).contains("(stored; on the fold that chose it)");

        var count = CommandRunner.run("validate", "--model", run.toString(), "--label-count", "--max-labels", "4");
        assertThat(count.exitCode()).as(count.err()).isZero();
        assertThat(count.out()).contains("the top round(");
        String json = Files.readString(run.resolve("model.json"));
        assertThat(json).contains("\"labels_per_image\"").doesNotContain("label_thresholds");
        Path submission = dir.resolve("submission.csv");
        var submit = CommandRunner.run("make-submission", test.toString(), "--data", data.toString(),
                "--thresholds-from", run.toString(), "--out", submission.toString());
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        assertThat(submit.out()).contains("the top round(", "max labels 4");

        assertThat(CommandRunner.run("validate", "--model", run.toString(), "--label-count", "--label-thresholds", "3")
                .exitCode()).isEqualTo(2);
        assertThat(CommandRunner.run("validate", "--model", run.toString()).exitCode()).isZero();
        assertThat(Files.readString(run.resolve("model.json"))).doesNotContain("labels_per_image");
    }
}
