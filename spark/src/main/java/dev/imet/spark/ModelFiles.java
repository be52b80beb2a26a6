package dev.imet.spark;

import dev.imet.common.InputException;
import dev.imet.model.ModelFolder;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model folder's two files as bytes, read on the driver and broadcast to the executors (Spark spreads a
 * broadcast between executors, so the driver does not serve every executor the weights).
 *
 * @param source the folder on the driver, for messages
 */
record ModelFiles(String source, byte[] info, byte[] weights) implements Serializable {
    /** The largest file a Java array holds. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /** Reads and checks {@code model.json} (an InputException naming what is wrong), then both files. */
    static ModelFiles read(Path dir) {
        ModelFolder.readInfo(dir);
        Path weights = dir.resolve(ModelFolder.WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new InputException(dir + ": not a model folder (no " + ModelFolder.WEIGHTS_FILE + ")");
        }
        try {
            if (Files.size(weights) > MAX_FILE_BYTES) {
                throw new InputException(weights + ": " + Files.size(weights) + " bytes, more than the job ships"
                        + " (at most " + MAX_FILE_BYTES + ")");
            }
            return new ModelFiles(dir.toString(), Files.readAllBytes(dir.resolve(ModelFolder.INFO_FILE)),
                    Files.readAllBytes(weights));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the two files into {@code dir}, a model folder again. */
    void writeTo(Path dir) throws IOException {
        Files.write(dir.resolve(ModelFolder.INFO_FILE), info);
        Files.write(dir.resolve(ModelFolder.WEIGHTS_FILE), weights);
    }
}
