package dev.imet.report;

import dev.imet.common.InputSpec;
import dev.imet.eval.LabelReport;
import dev.imet.inference.LossKind;
import dev.imet.run.MetricsFile;
import dev.imet.run.Provenance;
import dev.imet.run.RunConfigFile;
import dev.imet.run.RunStatus;
import dev.imet.run.TrainConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/** Run folders written file by file, in milliseconds, for the report's tests (real runs come from train). */
public final class RunFixtures {
    public static final String METRICS_HEADER = String.join(",", MetricsFile.COLUMNS);
    public static final String LABELS_HEADER = String.join(",", LabelReport.COLUMNS);

    private RunFixtures() {}

    public static TrainConfig config(String arch, int fold, double lr, int epochs, Path runDir) {
        return new TrainConfig(
                new TrainConfig.Data(Path.of("data"), Path.of("data/folds.csv"), fold, 178_956_970),
                new TrainConfig.Network(arch, new InputSpec(64, new float[] {0.485f, 0.456f, 0.406f},
                        new float[] {0.229f, 0.224f, 0.225f}), null, null, false, null),
                new TrainConfig.Optimizer(lr, new double[] {1, 1, 1}, 1e-4, 10),
                new TrainConfig.Schedule(epochs, 0, 0.1, TrainConfig.Decay.TRIANGULAR, 0),
                new TrainConfig.Objective(LossKind.FOCAL, 0.2),
                new TrainConfig.Loop(32, 1, 4, 10, 2, 0, 42),
                new TrainConfig.Execution("fp32", "channels-last", "direct", "given"),
                runDir);
    }

    /** A run folder with only its config.json (architecture, fold, learning rate, epochs). */
    public static Path run(Path dir, String arch, int fold, double lr, int epochs) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunConfigFile.write(dir.resolve("config.json"), new RunConfigFile.Content(config(arch, fold, lr, epochs, dir),
                new Provenance("0.1.0", 42, "sha256:0123456789abcdef", "2026-12-01T00:00:00Z", "17", "PyTorch 2.7.1",
                        Map.of("GOMP_SPINCOUNT", "3000"))));
        return dir;
    }

    /** Writes status.json as this machine's process {@code pid} would. */
    public static void status(Path run, RunStatus.State state, long steps, long totalSteps, Double bestF2,
                              long pid, String stopReason) {
        new RunStatus(state, steps, totalSteps, 3725.4, 123.45, 118.2, bestF2, bestF2 == null ? null : 0.2,
                bestF2 == null ? null : steps, stopReason, pid, RunStatus.localHost(), "2026-12-01T00:00:00Z")
                .write(run);
    }

    /** A pid no process has (beyond the usual pid_max). */
    public static long deadPid() {
        long pid = 4_000_000L;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }

    public static void write(Path file, String header, String... rows) {
        try {
            Files.writeString(file, header + "\n" + String.join("\n", rows) + (rows.length > 0 ? "\n" : ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small curves.png: a line on white. */
    public static void curves(Path run) {
        BufferedImage image = new BufferedImage(80, 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 80, 50);
        g.setColor(Color.BLUE);
        g.drawLine(0, 49, 79, 5);
        g.dispose();
        try {
            ImageIO.write(image, "png", run.resolve("curves.png").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
