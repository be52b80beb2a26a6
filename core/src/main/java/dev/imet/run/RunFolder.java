package dev.imet.run;

import java.nio.file.Path;

/**
 * The folder of one training run. It is also a model folder (SPEC §3): the best weights and their description
 * sit at its top, so {@code --model RUN_DIR} works for validate and predict.
 */
public record RunFolder(Path dir) {
    public Path config() {
        return dir.resolve("config.json");
    }

    public Path metrics() {
        return dir.resolve(MetricsFile.FILE_NAME);
    }

    /** The run's curves (losses, F2, learning rate against the step), redrawn at every check. */
    public Path curves() {
        return dir.resolve("curves.png");
    }

    public Path log() {
        return dir.resolve("train.log");
    }

    public Path checkpoint() {
        return dir.resolve("checkpoint.safetensors");
    }

    /** The checkpoint before the last, kept so that a damaged last one does not lose the run. */
    public Path previousCheckpoint() {
        return dir.resolve("checkpoint.previous.safetensors");
    }
}
