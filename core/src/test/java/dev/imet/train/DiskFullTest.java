package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imet.Tmpfs;
import dev.imet.cli.CommandRunner;
import dev.imet.data.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up in the middle of a run: the command ends with one line naming the file and the cause, and
 * the checkpoint written before stays good, so the run resumes once there is room again.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aDiskFullMidRunIsOneLineAndTheRunResumesAfterwards() throws Exception {
        Path data = TestData.tinyDataFolder(dir.resolve("data"), 96, 4, 32);
        assertThat(CommandRunner.run("make-folds", "--data", data.toString(), "--n-folds", "4").exitCode()).isZero();
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(Tmpfs.mount(disk, "48m"),
                "mounting a tmpfs is not allowed here");
        Path ballast = disk.resolve("ballast");
        try {
            Path runDir = disk.resolve("run");
            Path log = dir.resolve("train.log");
            Process p = TrainProcess.start(log, "dev.imet.cli.Main", "train", "--data", data.toString(), "--fold",
                    "0", "--arch", "tiny_resnet", "--size", "32", "--epochs", "4", "--batch-size", "8", "--workers",
                    "1", "--run-dir", runDir.toString());
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && !Files.exists(runDir.resolve("checkpoint.safetensors"))) {
                Thread.sleep(20);
            }
            assertThat(p.isAlive()).as("the run must still be going when the disk fills").isTrue();
            fill(ballast);
            assertThat(p.waitFor()).as(Files.readString(log)).isEqualTo(1);

            List<String> errors = Files.readAllLines(log).stream().filter(l -> l.startsWith("error: ")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains(runDir.toString(), "No space left on device");
            assertThat(Files.readString(log)).doesNotContain("\tat ").doesNotContain("Exception");

            Files.delete(ballast);
            var resumed = CommandRunner.run("train", "--resume", "--run-dir", runDir.toString());
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(Files.readString(runDir.resolve("train.log"))).contains("done at step 36");
        } finally {
            Files.deleteIfExists(ballast);
            Tmpfs.unmount(disk);
        }
    }

    /** Writes to {@code file} until the file system is full. */
    private static void fill(Path file) {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the file system is full: what the test wants
        }
    }
}
