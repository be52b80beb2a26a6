package dev.imet.common;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG files as every command writes them: charts, the sample data set. */
public final class Png {
    private Png() {}

    /**
     * Encodes {@code image} as PNG into {@code stream} through an in-memory buffer. ImageIO's own
     * {@code ImageIO.write(image, "png", stream)} buffers through a temporary file in java.io.tmpdir instead: a
     * killed process leaves it behind, and when that file's stream fails (a full disk) the JDK's hook that closes
     * it at exit prints a NullPointerException's stack trace. No timestamps are written, so the bytes are
     * reproducible.
     */
    public static void write(BufferedImage image, OutputStream stream) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(stream)) {
            writer.setOutput(out);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }
}
