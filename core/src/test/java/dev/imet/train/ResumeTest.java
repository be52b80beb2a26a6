package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.cli.CommandRunner;
import dev.imet.data.TestData;
import dev.imet.model.SafeTensors;
import dev.imet.run.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed with SIGKILL continues with --resume and ends like the run that was never interrupted. */
class ResumeTest {
    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void makeData() {
        data = TestData.tinyDataFolder(dir.resolve("data"), 96, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "4").exitCode()).isZero();
    }

    private static String[] trainArgs(Path run) {
        return trainArgs(run, "fp32");
    }

    /**
     * The execution is given, not auto: auto's measured memory format may differ between the runs compared (a
     * resumed run keeps its own, from config.json).
     */
    private static String[] trainArgs(Path run, String precision) {
        // 72 train images / batch 8 = 9 steps per epoch, checks after steps 5 and 9 of each epoch
        return new String[] {"train", "--data", data.toString(), "--fold", "0", "--arch", "tiny_resnet", "--size", "32",
            "--epochs", "4", "--batch-size", "8", "--valid-every", "0.5", "--early-stop", "0", "--mixup", "0.2",
            "--workers", "1", "--seed", "7", "--precision", precision, "--memory-format", "channels-last",
            "--small-convolutions", "matmul", "--run-dir", run.toString()};
    }

    private static List<String> metricRows(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        return lines.subList(1, lines.size());
    }

    /** The step of the run's last checkpoint (the previous one if a kill came between the two renames). */
    private static long checkpointStep(Path run) {
        Path last = run.resolve("checkpoint.safetensors");
        if (!Files.exists(last)) {
            last = run.resolve("checkpoint.previous.safetensors");
        }
        String json = SafeTensors.metadata(last).get(Checkpoint.METADATA_KEY);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("state").get("step").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The rows without the columns that depend on the machine's speed and memory (images/s, rss). */
    private static List<String> deterministicColumns(List<String> rows) {
        return rows.stream().map(r -> {
            String[] c = r.split(",");
            return String.join(",", c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[9]);
        }).toList();
    }

    private static final java.util.Map<String, Path> UNINTERRUPTED = new java.util.HashMap<>();

    /** One uninterrupted run per precision, the yardstick of the resumed ones. */
    private static synchronized Path uninterrupted(String precision) {
        return UNINTERRUPTED.computeIfAbsent(precision, p -> {
            Path run = dir.resolve("whole-" + p);
            TrainProcess.runToEnd(dir.resolve("whole-" + p + ".log"), trainArgs(run, p));
            return run;
        });
    }

    private static void assertSameAsUninterrupted(Path run) throws Exception {
        assertSameAsUninterrupted(run, "fp32");
    }

    /** A resumed run wrote exactly what the uninterrupted one did: the same rows and the same final weights. */
    private static void assertSameAsUninterrupted(Path run, String precision) throws Exception {
        Path whole = uninterrupted(precision);
        assertThat(checkpointStep(run)).isEqualTo(36);
        assertThat(deterministicColumns(metricRows(run))).containsExactlyElementsOf(deterministicColumns(metricRows(whole)));
        assertThat(Files.readAllBytes(run.resolve("model.safetensors")))
                .as("the best model's weights, bit for bit").isEqualTo(Files.readAllBytes(whole.resolve("model.safetensors")));
        assertThat(SafeTensors.read(run.resolve("checkpoint.safetensors")))
                .as("the final weights and moments").isEqualTo(SafeTensors.read(whole.resolve("checkpoint.safetensors")));
    }

    /** At either precision: bf16 casts the float32 master weights afresh at every step, nothing else is kept. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fp32", "bf16"})
    void aRunKilledMidEpochResumesToExactlyTheUninterruptedRun(String precision) throws Exception {
        Path killed = dir.resolve("killed-" + precision);
        Process p = TrainProcess.start(dir.resolve("killed-" + precision + ".log"), "dev.imet.cli.Main",
                trainArgs(killed, precision));
        // wait for the third check (step 14, mid-epoch 2), then kill without any warning
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline
                && (!Files.exists(killed.resolve("metrics.csv")) || metricRows(killed).size() < 3)) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("the run must still be going when it is killed").isTrue();
        TrainProcess.kill(p);
        RunStatus left = RunStatus.read(killed).orElseThrow();
        assertThat(left.state()).isEqualTo(RunStatus.State.RUNNING);
        assertThat(left.isStale()).as("its process is gone").isTrue();
        // the metrics row is written just before its checkpoint: the kill may find the one before
        assertThat(checkpointStep(killed)).as("the checkpoint the kill left").isBetween(9L, 35L);

        TrainProcess.runToEnd(dir.resolve("killed-" + precision + "-resumed.log"), "train", "--resume", "--run-dir",
                killed.toString());
        assertThat(Files.readString(killed.resolve("config.json"))).contains("\"precision\" : \"" + precision + "\"");
        assertSameAsUninterrupted(killed, precision);
        RunStatus done = RunStatus.read(killed).orElseThrow();
        assertThat(done.state()).isEqualTo(RunStatus.State.FINISHED);
        assertThat(done.steps()).isEqualTo(done.totalSteps()).isEqualTo(36);
        assertThat(done.trainingSeconds()).isGreaterThan(left.trainingSeconds());
        assertThat(done.bestF2()).isNotNull();
    }

    /** Ctrl+C (SIGINT) and SIGTERM (what a scheduler sends) both stop the run with a checkpoint of its step. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"INT", "TERM"})
    void aSignalWritesACheckpointOfTheCurrentStepAndTheResumedRunIsExact(String signal) throws Exception {
        Path run = dir.resolve("interrupted-" + signal);
        Path log = dir.resolve("interrupted-" + signal + ".log");
        Process p = TrainProcess.start(log, "dev.imet.cli.Main", trainArgs(run));
        if (signal.equals("INT") && TrainProcess.ignores(p, 2)) {
            p.destroyForcibly().waitFor();
            Assumptions.abort("SIGINT is ignored in this process tree (a background job of a shell without job"
                    + " control): Ctrl+C cannot reach the training here");
        }
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline
                && (!Files.exists(run.resolve("metrics.csv")) || metricRows(run).isEmpty())) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        assertThat(p.isAlive()).isTrue();
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor()).as(Files.readString(log)).isEqualTo(signal.equals("INT") ? 130 : 143);
        assertThat(Files.readString(log)).contains("checkpoint written; continue with --resume");
        assertThat(RunStatus.read(run).orElseThrow().state()).isEqualTo(RunStatus.State.INTERRUPTED);
        long step = checkpointStep(run);
        assertThat(step).isBetween(1L, 35L);
        TrainProcess.runToEnd(dir.resolve("interrupted-" + signal + "-resumed.log"), "train", "--resume", "--run-dir",
                run.toString());
        assertSameAsUninterrupted(run);
    }

    @Test
    void aDamagedCheckpointFallsBackToThePreviousOne() throws Exception {
        Path run = dir.resolve("damaged");
        String[] args = trainArgs(run);
        args[java.util.Arrays.asList(args).indexOf("--epochs") + 1] = "2";
        assertThat(CommandRunner.run(args).exitCode()).isZero();
        Path checkpoint = run.resolve("checkpoint.safetensors");
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[bytes.length - 1000] ^= 0x40; // inside the last tensors' data, past the header
        Files.write(checkpoint, bytes);

        var resumed = CommandRunner.run("train", "--resume", "--run-dir", run.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        String log = Files.readString(run.resolve("train.log"));
        assertThat(log).contains(checkpoint + ": damaged checkpoint", "resuming from the previous checkpoint");

        bytes = Files.readAllBytes(checkpoint);
        bytes[bytes.length - 1000] ^= 0x40;
        Files.write(checkpoint, bytes);
        Path previous = run.resolve("checkpoint.previous.safetensors");
        byte[] old = Files.readAllBytes(previous);
        old[old.length - 1000] ^= 0x40;
        Files.write(previous, old);
        var refused = CommandRunner.run("train", "--resume", "--run-dir", run.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains(checkpoint + ": damaged checkpoint", previous + ": damaged checkpoint")
                .doesNotContain("Exception");
    }

    @Test
    void resumingAFinishedRunChangesNothing() throws Exception {
        Path run = uninterrupted("fp32");
        byte[] model = Files.readAllBytes(run.resolve("model.safetensors"));
        assertThat(CommandRunner.run("train", "--resume", "--run-dir", run.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(run.resolve("model.safetensors"))).isEqualTo(model);
        assertThat(checkpointStep(run)).isEqualTo(36);
    }

    @Test
    void aRunThatStoppedEarlyStaysStoppedWhenResumed() throws Exception {
        Path run = dir.resolve("early");
        String[] args = trainArgs(run);
        args[java.util.Arrays.asList(args).indexOf("--early-stop") + 1] = "1";
        args[java.util.Arrays.asList(args).indexOf("--epochs") + 1] = "10";
        assertThat(CommandRunner.run(args).exitCode()).isZero();
        long stoppedAt = checkpointStep(run);
        // patience 1: the first check without a better F2 ends the run; 20 better checks in a row do not happen
        assertThat(stoppedAt).as("the run must stop early").isLessThan(90);
        assertThat(Files.readString(run.resolve("train.log"))).contains("early stop: no better F2 in 1 checks");
        assertThat(RunStatus.read(run).orElseThrow().state()).isEqualTo(RunStatus.State.STOPPED_EARLY);
        List<String> rows = metricRows(run);
        byte[] model = Files.readAllBytes(run.resolve("model.safetensors"));

        var resumed = CommandRunner.run("train", "--resume", "--run-dir", run.toString(), "--epochs", "12");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(checkpointStep(run)).isEqualTo(stoppedAt);
        assertThat(metricRows(run)).isEqualTo(rows);
        assertThat(Files.readAllBytes(run.resolve("model.safetensors"))).isEqualTo(model);
        String log = Files.readString(run.resolve("train.log"));
        assertThat(log).contains("ignoring --epochs");
        assertThat(log.substring(log.lastIndexOf("resuming"))).contains("done at step " + stoppedAt, "early stop");
    }

    @Test
    void theEnginesNativeWarningsDoNotReachTheTerminal() throws Exception {
        // loading weights into a network used to print "AutoNonVariableTypeMode is deprecated" from native code
        Path log = dir.resolve("native-warnings.log");
        Process p = TrainProcess.start(log, "dev.imet.cli.Main", "train", "--resume", "--run-dir",
                uninterrupted("fp32").toString());
        assertThat(p.waitFor()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).doesNotContain("Warning:").doesNotContain("[W");
    }

    @Test
    void startingOverAnExistingRunIsRefused() {
        Path run = dir.resolve("twice");
        assertThat(CommandRunner.run(trainArgs(run)).exitCode()).isZero();
        var again = CommandRunner.run(trainArgs(run));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("--resume");
    }

    @Test
    void aKillDuringACheckpointWriteLeavesThePreviousCheckpointLoadable() throws Exception {
        Path file = dir.resolve("hammer/checkpoint.safetensors");
        for (int attempt = 0; attempt < 2; attempt++) {
            Path log = dir.resolve("hammer-" + attempt + ".log");
            Process p = TrainProcess.start(log, CheckpointHammer.class.getName(), file.toString());
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !Files.readString(log).contains("saved 2")) {
                Thread.sleep(10);
            }
            // the hammer writes back to back: a kill now lands inside a write
            Thread.sleep(37L * (attempt + 1));
            assertThat(p.isAlive()).isTrue();
            TrainProcess.kill(p);
            Map<String, String> meta = SafeTensors.metadata(file);
            assertThat(meta).containsKey(Checkpoint.METADATA_KEY);
            assertThat(SafeTensors.read(file)).containsKey("fc.weight");
            CheckpointHammer.verify(file);
        }
    }
}
