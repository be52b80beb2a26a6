package dev.imet.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/** Where the image of an id lives, and whether it is a readable image. */
public final class ImageFiles {
    /** Extensions tried in this order: PNG as in the competition, then what ImageIO reads as well. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFiles() {}

    /** The image file of {@code id} in {@code dir}: the PNG if present, else the first other format found, else the PNG path. */
    public static Path resolve(Path dir, String id) {
        Path png = dir.resolve(id + ".png");
        if (Files.exists(png)) {
            return png;
        }
        for (String extension : EXTENSIONS.subList(1, EXTENSIONS.size())) {
            Path other = dir.resolve(id + "." + extension);
            if (Files.exists(other)) {
                return other;
            }
        }
        return png;
    }

    /**
     * What is wrong with an image file, or null if nothing: missing, empty, not in a format ImageIO reads, a
     * header without a positive size, or (with {@code decode}) pixel data that does not decode.
     */
    static String problem(Path file, boolean decode) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            return Files.exists(file) ? "cannot read: " + e.getMessage() : "missing";
        }
        if (bytes == 0) {
            return "empty file (0 bytes)";
        }
        // A FileImageInputStream reads the file directly, without ImageIO's temporary-file cache.
        boolean headerRead = false;
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return "not an image format ImageIO reads (" + bytes + " bytes)";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    return "image header gives size " + width + "x" + height;
                }
                headerRead = true;
                if (decode) {
                    BufferedImage image = reader.read(0);
                    if (image == null) {
                        return "does not decode";
                    }
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return (headerRead ? "does not decode: " : "unreadable image header: ") + reason;
        }
        return null;
    }
}
