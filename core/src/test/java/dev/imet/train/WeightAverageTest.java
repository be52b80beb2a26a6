package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.imet.cli.CommandRunner;
import dev.imet.data.TestData;
import dev.imet.model.ModelRegistry;
import dev.imet.model.SafeTensors;
import dev.imet.model.StateDict;
import dev.imet.model.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moving average of the weights: its update rule on every tensor, that the checks and the best model use it,
 * and that a run killed and resumed continues it exactly.
 */
class WeightAverageTest {
    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void makeData() {
        data = TestData.tinyDataFolder(dir.resolve("data"), 96, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "4").exitCode()).isZero();
    }

    @Test
    void theDecayWarmsUpAsTensorFlowsAndThenStaysAtItsValue() {
        assertThat(WeightAverage.decayAt(0.999, true, 1)).isEqualTo(2.0 / 11);
        assertThat(WeightAverage.decayAt(0.999, true, 80)).isEqualTo(81.0 / 90);
        assertThat(WeightAverage.decayAt(0.999, true, 100_000)).isEqualTo(0.999);
        assertThat(WeightAverage.decayAt(0.999, false, 1)).isEqualTo(0.999);
    }

    @Test
    void everyTensorBatchNormStatisticsIncludedMovesToDecayTimesAveragePlusTheRestTimesWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var spec = ModelRegistry.get("tiny_resnet");
            LinkedHashMap<String, Parameter> weights = StateDict.parameters(spec.buildInitialized(3, 32, manager));
            LinkedHashMap<String, Parameter> averaged = StateDict.parameters(spec.buildInitialized(3, 32, manager));
            assertThat(weights.keySet()).anyMatch(name -> name.endsWith("running_mean"))
                    .anyMatch(name -> name.endsWith("running_var"));
            WeightAverage average = new WeightAverage(weights, averaged, 0.9, true);
            average.reset();
            Map<String, double[]> expected = new LinkedHashMap<>();
            weights.forEach((name, p) -> expected.put(name, doubles(p.getArray().toFloatArray())));
            for (long step = 1; step <= 3; step++) {
                // new weights, as an optimiser step (and batch norm in training mode) would leave them
                for (var entry : weights.entrySet()) {
                    float[] w = entry.getValue().getArray().toFloatArray();
                    for (int i = 0; i < w.length; i++) {
                        w[i] = (float) Math.sin(step * 1.7 + i * 0.37 + entry.getKey().length());
                    }
                    StateDict.setValues(entry.getValue(), w);
                    double decay = WeightAverage.decayAt(0.9, true, step);
                    double[] e = expected.get(entry.getKey());
                    for (int i = 0; i < w.length; i++) {
                        e[i] = decay * e[i] + (1 - decay) * w[i];
                    }
                }
                average.onStep(null, new TrainingListener.StepMetrics(step, 3, 0, 0, 0, 1, 1));
            }
            averaged.forEach((name, p) -> {
                float[] actual = p.getArray().toFloatArray();
                double[] e = expected.get(name);
                for (int i = 0; i < actual.length; i++) {
                    assertThat((double) actual[i]).as("%s[%d]", name, i).isCloseTo(e[i], within(1e-6));
                }
            });
        }
    }

    private static String[] trainArgs(Path run, String epochs, String validEvery) {
        // 72 train images / batch 8 = 9 steps per epoch
        return new String[] {"train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet", "--size", "32",
            "--epochs", epochs, "--batch-size", "8", "--valid-every", validEvery, "--early-stop", "0", "--mixup", "0.2",
            "--workers", "1", "--seed", "7", "--ema", "0.8", "--precision", "fp32", "--memory-format", "channels-last",
            "--small-convolutions", "direct", "--run-dir", run.toString()};
    }

    @Test
    void theChecksAndTheBestModelAreTheAverageWhichTheCheckpointKeeps() {
        Path run = dir.resolve("one-check");
        var result = CommandRunner.run(trainArgs(run, "1", "1"));
        assertThat(result.exitCode()).as(result.err()).isZero();
        // one check, at the last step: the best model is the average then, not the weights as trained
        Map<String, TensorData> model = SafeTensors.read(run.resolve("model.safetensors"));
        Map<String, TensorData> checkpoint = SafeTensors.read(run.resolve("checkpoint.safetensors"));
        // (num_batches_tracked, written for PyTorch, is no parameter: neither trained nor averaged)
        List<String> averaged = model.keySet().stream().filter(name -> !name.endsWith("num_batches_tracked")).toList();
        assertThat(averaged).contains("fc.weight", "bn1.running_mean");
        averaged.forEach(name -> assertThat(model.get(name)).as(name).isEqualTo(checkpoint.get("ema." + name)));
        assertThat(checkpoint.get("fc.weight")).isNotEqualTo(checkpoint.get("ema.fc.weight"));
    }

    @Test
    void aRunKilledMidEpochResumesToExactlyTheUninterruptedAverage() throws Exception {
        Path whole = dir.resolve("whole");
        TrainProcess.runToEnd(dir.resolve("whole.log"), trainArgs(whole, "3", "0.5"));
        Path killed = dir.resolve("killed");
        Process p = TrainProcess.start(dir.resolve("killed.log"), "dev.imet.cli.Main", trainArgs(killed, "3", "0.5"));
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline
                && (!Files.exists(killed.resolve("metrics.csv")) || Files.readAllLines(killed.resolve("metrics.csv")).size() < 4)) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the run must still be going when it is killed").isTrue();
        TrainProcess.kill(p);
        TrainProcess.runToEnd(dir.resolve("killed-resumed.log"), "train", "--resume", "--run-dir",
                killed.toString());
        assertThat(deterministic(killed)).containsExactlyElementsOf(deterministic(whole));
        assertThat(Files.readAllBytes(killed.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model.safetensors")));
        Map<String, TensorData> checkpoint = SafeTensors.read(killed.resolve("checkpoint.safetensors"));
        assertThat(checkpoint).containsKey("ema.fc.weight").isEqualTo(SafeTensors.read(whole.resolve("checkpoint.safetensors")));
    }

    /** metrics.csv without the columns that depend on the machine's speed and memory (images/s, rss). */
    private static List<String> deterministic(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        return lines.subList(1, lines.size()).stream().map(r -> {
            String[] c = r.split(",");
            return String.join(",", c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[9]);
        }).toList();
    }

    private static double[] doubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
