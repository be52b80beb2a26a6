package dev.imet.data;

import dev.imet.common.InputSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small images for the pipeline tests. */
final class TestImages {
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

    /** The normalised value the transforms produce for 0..255 value {@code value} in channel {@code c}. */
    static float normalised(double value, int c) {
        return (float) ((value / 255.0 - MEAN[c]) / STD[c]);
    }

    /** Back from a normalised value of channel {@code c} to 0..255. */
    static double raw(float normalised, int c) {
        return (normalised * STD[c] + MEAN[c]) * 255.0;
    }
}
