package dev.imet.data;

import dev.imet.common.InputException;
import dev.imet.common.UsageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/** Where the image of an id lives, whether it is a complete image we can decode, and how many pixels it may have. */
public final class ImageFiles {
    /** Extensions tried in this order: PNG as in the competition, then what ImageIO reads as well. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    /**
     * The most pixels an image may declare unless the limit is raised: PIL's, which refuses larger images as
     * decompression bombs (twice {@code Image.MAX_IMAGE_PIXELS}). A small file can declare a size that costs
     * gigabytes to decode; this refuses it from its header.
     */
    public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

    /** The highest limit there can be: the most pixels a decoded image holds (3 bytes each, in one Java array). */
    public static final long MAX_PIXELS_CEILING = Integer.MAX_VALUE / 3;

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

    /** {@code maxPixels} when it is a limit images can be held to (1 to {@link #MAX_PIXELS_CEILING}); else a UsageException. */
    public static long requirePixelLimit(long maxPixels) {
        if (maxPixels < 1 || maxPixels > MAX_PIXELS_CEILING) {
            throw new UsageException(String.format(Locale.ROOT,
                    "--max-image-pixels must be between 1 and %d (the most pixels a decoded image can hold), not %d",
                    MAX_PIXELS_CEILING, maxPixels));
        }
        return maxPixels;
    }

    /** Why an image declaring {@code width x height} pixels is refused under {@code maxPixels}, or null if it is not. */
    static String pixelLimitProblem(long width, long height, long maxPixels) {
        long pixels = width * height; // each side is below 2^31
        if (pixels <= maxPixels) {
            return null;
        }
        return String.format(Locale.ROOT, "declares %d x %d pixels (%,d), more than the limit of %,d;"
                + " raise it with --max-image-pixels", width, height, pixels, maxPixels);
    }

    /**
     * What is wrong with an image file, or null if nothing: missing, empty, a truncated or corrupt PNG or JPEG
     * (from its structure, see {@link ImageStructure}), for other formats a header ImageIO does not read or
     * without a positive size, more pixels than {@code maxPixels}, or (with {@code decode}) a file that
     * {@link ImageDecoder} does not decode.
     */
    static String problem(Path file, boolean decode, long maxPixels) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            return Files.exists(file) ? "cannot read: " + e.getMessage() : "missing";
        }
        if (bytes == 0) {
            return "empty file (0 bytes)";
        }
        ImageStructure.Verdict verdict;
        try (InputStream in = Files.newInputStream(file)) {
            verdict = ImageStructure.check(in, bytes);
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
        String problem = verdict instanceof ImageStructure.OtherFormat ? imageIoHeaderProblem(file, bytes, maxPixels)
                : structureProblem(verdict, maxPixels);
        return problem == null && decode ? decodeProblem(file, maxPixels) : problem;
    }

    /**
     * An image that comes as its encoded bytes rather than as a file of a data folder (the Spark job's), checked
     * as {@link #problem} checks a file (empty, broken PNG or JPEG structure, too many pixels) and decoded; an
     * {@link InputException} "NAME: what is wrong" otherwise.
     */
    public static RgbImage decodeChecked(byte[] encoded, String name, long maxPixels) {
        requirePixelLimit(maxPixels);
        String problem;
        if (encoded.length == 0) {
            problem = "empty file (0 bytes)";
        } else {
            try {
                // formats other than PNG and JPEG: the decoder reads and holds their header to the limit itself
                problem = structureProblem(ImageStructure.check(new ByteArrayInputStream(encoded), encoded.length),
                        maxPixels);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an in-memory stream does not fail
            }
        }
        if (problem != null) {
            throw new InputException(name + ": " + problem);
        }
        try {
            return ImageDecoder.decode(encoded, maxPixels);
        } catch (ImageDecoder.UndecodableImage e) {
            throw new InputException(name + ": does not decode: " + e.getMessage(), e.getCause());
        }
    }

    /** What the structure walk found wrong (broken, or more pixels than the limit), or null. */
    private static String structureProblem(ImageStructure.Verdict verdict, long maxPixels) {
        if (verdict instanceof ImageStructure.Broken broken) {
            return broken.reason();
        }
        if (verdict instanceof ImageStructure.Complete complete) {
            return pixelLimitProblem(complete.width(), complete.height(), maxPixels);
        }
        return null;
    }

    /** The header check of the formats other than PNG and JPEG: ImageIO must read it and find a size within the limit. */
    private static String imageIoHeaderProblem(Path file, long bytes, long maxPixels) {
        // A FileImageInputStream reads the file directly, without ImageIO's temporary-file cache.
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
                return pixelLimitProblem(width, height, maxPixels);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return "unreadable image header: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    /** Decodes the file as training would; the reason when that fails. */
    private static String decodeProblem(Path file, long maxPixels) {
        byte[] encoded;
        try {
            encoded = Files.readAllBytes(file);
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
        try {
            ImageDecoder.decode(encoded, maxPixels);
            return null;
        } catch (ImageDecoder.UndecodableImage e) {
            return "does not decode: " + e.getMessage();
        }
    }
}
