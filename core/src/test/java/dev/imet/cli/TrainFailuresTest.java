package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.imet.Tmpfs;
import dev.imet.data.TestData;
import dev.imet.model.ModelRegistry;
import dev.imet.model.SafeTensors;
import dev.imet.model.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What train refuses, and how: before any work, one line, the right exit code, nothing written. */
class TrainFailuresTest {
    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void makeData() {
        data = TestData.tinyDataFolder(dir.resolve("data"), 24, 2, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "3").exitCode()).isZero();
    }

    private static CommandRunner.Result train(Path run, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--fold", "0", "--arch",
                "tiny_resnet", "--size", "32", "--batch-size", "8", "--epochs", "1", "--workers", "1",
                "--run-dir", run.toString()));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            int at = args.indexOf(extra[i]);
            if (at >= 0) {
                args.set(at + 1, extra[i + 1]);
            } else {
                args.add(extra[i]);
                args.add(extra[i + 1]);
            }
        }
        if (extra.length % 2 == 1) {
            args.add(extra[extra.length - 1]);
        }
        return CommandRunner.run(args.toArray(String[]::new));
    }

    private static void assertOneLine(CommandRunner.Result r) {
        assertThat(r.err()).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void zeroEpochsAndAnUnknownArchitectureAreBadUsageBeforeAnyWork() {
        Path run = dir.resolve("zero");
        var zero = train(run, "--epochs", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--epochs must be at least 1");
        var unknown = train(run, "--arch", "resnet9000");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown architecture 'resnet9000'", "tiny_resnet");
        var bias = train(run, "--head-bias", "low");
        assertThat(bias.exitCode()).isEqualTo(2);
        assertThat(bias.err()).contains("--head-bias", "'low' is neither a number nor prior nor none");
        assertThat(run).doesNotExist();
    }

    @Test
    void weightsOfAnotherNetworkAreRefusedUnlessAPartialLoadIsAskedFor() {
        Path weights = dir.resolve("resnet18.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafeTensors.write(weights, StateDict.tensors(ModelRegistry.get("resnet18").buildInitialized(10, manager)),
                    null);
        }
        Path run = dir.resolve("other-network");
        var refused = train(run, "--pretrained", weights.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertOneLine(refused);
        assertThat(refused.err()).contains(weights + ": does not fit the network",
                "shape mismatch: conv1.weight: file [64, 3, 7, 7], network [16, 3, 7, 7]", "--pretrained-partial");
        assertThat(run).as("nothing is written for a refused run").doesNotExist();

        var partial = train(run, "--pretrained", weights.toString(), "--pretrained-partial", "--steps-per-epoch", "1");
        assertThat(partial.exitCode()).as(partial.err()).isZero();
        assertThat(run.resolve("model.safetensors")).exists();
    }

    @Test
    void foldsThatLeaveNothingToTrainOnAreRefusedBeforeTheRunFolderIsMade() throws IOException {
        List<String> rows = new ArrayList<>(List.of("id,fold"));
        Files.readAllLines(data.resolve("train.csv")).stream().skip(1)
                .forEach(line -> rows.add(line.substring(0, line.indexOf(',')) + ",0"));
        Path oneFold = Files.write(dir.resolve("one-fold.csv"), rows);
        Path run = dir.resolve("nothing-to-train");
        var refused = train(run, "--folds", oneFold.toString(), "--head-bias", "prior");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertOneLine(refused);
        assertThat(refused.err()).contains(oneFold + ": every image is in fold 0").hasLineCount(1);
        var tooFew = train(run, "--batch-size", "64");
        assertThat(tooFew.exitCode()).isEqualTo(1);
        assertThat(tooFew.err()).contains("fewer than one batch of 64: lower --batch-size").hasLineCount(1);
        assertThat(run).doesNotExist();
    }

    @Test
    void aRunFolderWithoutRoomIsRefusedBeforeTheFirstStep() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        assumeTrue(Tmpfs.mount(small, "1m"),
                "mounting a tmpfs is not allowed here");
        try {
            Path run = small.resolve("run");
            var refused = train(run);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertOneLine(refused);
            assertThat(refused.err()).contains(run + ": ", "MB free on its file system, but the run needs about");
            assertThat(run).doesNotExist();
        } finally {
            Tmpfs.unmount(small);
        }
    }

    @Test
    void anIoFailureIsOneLineNamingThePath() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path run = notAFolder.resolve("run");
        var failed = train(run);
        assertThat(failed.exitCode()).isEqualTo(1);
        assertOneLine(failed);
        assertThat(failed.err()).contains(notAFolder.toString()).hasLineCount(1);
    }
}
