package dev.imet.data;

import dev.imet.common.InputSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Small images for the pipeline tests. */
public final class TestImages {
    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** ImageNet-normalised input of {@code size} pixels. */
    static InputSpec input(int size) {
        return new InputSpec(size, MEAN, STD);
    }

    private TestImages() {}

    /** An image of random pixels from {@code seed}. */
    static RgbImage random(int width, int height, long seed) {
        byte[] rgb = new byte[3 * width * height];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    /** An image of one colour. */
    static RgbImage filled(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[3 * width * height];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }

    /** Writes {@code image} as an 8-bit RGB PNG. */
    static Path writePng(RgbImage image, Path file) {
        BufferedImage buffered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                buffered.setRGB(x, y, image.value(x, y, 0) << 16 | image.value(x, y, 1) << 8 | image.value(x, y, 2));
            }
        }
        return write(buffered, file);
    }

    static Path write(BufferedImage image, Path file) {
        try {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer for " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** An RGB image of random pixels from {@code seed}, as ImageIO's writers take it. */
    static BufferedImage randomRgb(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return image;
    }

    /** {@code image} encoded as PNG, Adam7-interlaced when asked. */
    static byte[] pngBytes(BufferedImage image, boolean interlaced) {
        return encode(image, "png", interlaced);
    }

    /** {@code image} encoded as JPEG, progressive when asked (baseline otherwise). */
    static byte[] jpegBytes(BufferedImage image, boolean progressive) {
        return encode(image, "jpeg", progressive);
    }

    private static byte[] encode(BufferedImage image, String format, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A baseline JPEG whose scan is cut into intervals by restart markers RST0-7 (a DRI segment). */
    static byte[] jpegWithRestartInterval(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), null);
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_jpeg_image_1.0");
            IIOMetadataNode restart = new IIOMetadataNode("dri");
            restart.setAttribute("interval", "1");
            IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            markers.insertBefore(restart, markers.getFirstChild());
            metadata.setFromTree("javax_imageio_jpeg_image_1.0", root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(new IIOImage(image, null, metadata));
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** A PNG file of these chunks: the signature, then each chunk as PNG frames it (length, type, data, CRC-32). */
    static byte[] png(Chunk... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        for (Chunk chunk : chunks) {
            out.writeBytes(chunk.framed());
        }
        return out.toByteArray();
    }

    /** A PNG chunk. */
    record Chunk(String type, byte[] data) {
        byte[] framed() {
            byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(typeBytes);
            crc.update(data);
            return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                    .putInt((int) crc.getValue()).array();
        }
    }

    /** The IHDR chunk of a non-interlaced image of {@code width x height} pixels in this bit depth and colour type. */
    static Chunk ihdr(long width, long height, int bitDepth, int colourType) {
        return new Chunk("IHDR", ByteBuffer.allocate(13).putInt((int) width).putInt((int) height)
                .put((byte) bitDepth).put((byte) colourType).put(new byte[3]).array());
    }

    /**
     * A PNG of exactly {@code size} bytes whose header declares {@code width x height} RGB pixels while its image
     * data holds a few rows: what a decompression bomb's header looks like (its chunks and CRCs are all sound).
     */
    public static byte[] hugeDeclaredPng(int width, int height, int size) {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(zlib, deflater)) {
            deflate.write(new byte[1 + 3 * width]); // one row of black pixels
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        Chunk header = ihdr(width, height, 8, 2);
        Chunk data = new Chunk("IDAT", zlib.toByteArray());
        int padding = size - png(header, data, new Chunk("IEND", new byte[0])).length - 12;
        if (padding < 0) {
            throw new IllegalArgumentException("a PNG declaring " + width + "x" + height + " needs more than " + size + " bytes");
        }
        return png(header, new Chunk("tEXt", ("Comment\0" + "x".repeat(padding - 8)).getBytes(StandardCharsets.ISO_8859_1)),
                data, new Chunk("IEND", new byte[0]));
    }

    /** The normalised value the transforms produce for 0..255 value {@code value} in channel {@code c}. */
    static float normalised(double value, int c) {
        return (float) ((value / 255.0 - MEAN[c]) / STD[c]);
    }

    /** Back from a normalised value of channel {@code c} to 0..255. */
    static double raw(float normalised, int c) {
        return (normalised * STD[c] + MEAN[c]) * 255.0;
    }
}
