package dev.imet.data;

import dev.imet.common.InputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads an image file (PNG, JPEG, or anything else ImageIO reads) into an {@link RgbImage}. Transparent
 * pixels are composited onto white (the rule the data set builder uses when it flattens RGBA PNGs), grey
 * values are copied to the three channels unchanged, palettes are looked up. The common raster layouts are
 * read straight from their arrays; only unusual colour models go through Java's colour conversion.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** Decodes {@code path} with the default pixel limit; see {@link #decode(Path, long)}. */
    public static RgbImage decode(Path path) {
        return decode(path, ImageFiles.DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes {@code path}; a missing, unreadable or undecodable file, or one whose header declares more than
     * {@code maxPixels} pixels (refused before any pixel memory is allocated), is an {@link InputException} naming it.
     */
    public static RgbImage decode(Path path, long maxPixels) {
        ImageFiles.requirePixelLimit(maxPixels);
        byte[] encoded;
        try {
            encoded = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InputException("image not found: " + path);
        } catch (IOException e) {
            throw new InputException("cannot read image " + path + ": " + e, e);
        }
        try {
            return decode(encoded, maxPixels);
        } catch (UndecodableImage e) {
            throw new InputException("cannot decode image " + path + ": " + e.getMessage(), e.getCause());
        }
    }

    /** Why encoded bytes do not decode; the message says it without naming the file. */
    static final class UndecodableImage extends Exception {
        UndecodableImage(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Decodes an encoded image (the way ImageIO.read does), reading its declared size first to hold it to {@code maxPixels}. */
    static RgbImage decode(byte[] encoded, long maxPixels) throws UndecodableImage {
        BufferedImage image;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UndecodableImage("not a format ImageIO reads", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String tooLarge = ImageFiles.pixelLimitProblem(reader.getWidth(0), reader.getHeight(0), maxPixels);
                if (tooLarge != null) {
                    throw new UndecodableImage(tooLarge, null);
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports corrupt data as IIOException, and some truncated files as runtime exceptions.
            throw new UndecodableImage(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
        }
        return toRgb(image);
    }

    /** Converts any {@link BufferedImage} to interleaved RGB, compositing alpha onto white. */
    static RgbImage toRgb(BufferedImage image) {
        RgbImage fast = fromByteComponents(image);
        if (fast == null) {
            fast = fromPackedInts(image);
        }
        if (fast == null) {
            fast = fromPalette(image);
        }
        if (fast == null) {
            fast = fromComponentSamples(image);
        }
        return fast != null ? fast : fromArgb(image);
    }

    /** Straight alpha {@code a} over white, rounded: the data set builder's formula. */
    static int overWhite(int colour, int alpha) {
        return (colour * alpha + 255 * (255 - alpha) + 127) / 255;
    }

    /** TYPE_3BYTE_BGR, TYPE_4BYTE_ABGR, TYPE_BYTE_GRAY and grey+alpha PNGs: byte samples, pixel-interleaved. */
    private static RgbImage fromByteComponents(BufferedImage image) {
        ColorModel colorModel = image.getColorModel();
        WritableRaster raster = image.getRaster();
        if (!(colorModel instanceof ComponentColorModel)
                || !(raster.getSampleModel() instanceof ComponentSampleModel sampleModel)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0) {
            return null;
        }
        int colours = colourBands(colorModel);
        boolean alpha = colorModel.hasAlpha();
        if (colours == 0 || sampleModel.getNumBands() != colours + (alpha ? 1 : 0)) {
            return null;
        }
        for (int band = 0; band < sampleModel.getNumBands(); band++) {
            if (colorModel.getComponentSize(band) != 8) {
                return null;
            }
        }
        int[] bankIndices = sampleModel.getBankIndices();
        for (int bank : bankIndices) {
            if (bank != bankIndices[0]) {
                return null;
            }
        }
        byte[] data = buffer.getData(bankIndices[0]);
        int base = buffer.getOffsets()[bankIndices[0]];
        int[] bandOffsets = sampleModel.getBandOffsets();
        int pixelStride = sampleModel.getPixelStride();
        int scanlineStride = sampleModel.getScanlineStride();
        int width = image.getWidth();
        int height = image.getHeight();
        int red = bandOffsets[0];
        int green = bandOffsets[colours == 3 ? 1 : 0];
        int blue = bandOffsets[colours == 3 ? 2 : 0];
        int alphaOffset = alpha ? bandOffsets[colours] : 0;
        boolean premultiplied = colorModel.isAlphaPremultiplied();
        byte[] rgb = new byte[3 * width * height];
        int out = 0;
        for (int y = 0; y < height; y++) {
            int pixel = base + y * scanlineStride;
            for (int x = 0; x < width; x++, pixel += pixelStride) {
                int r = data[pixel + red] & 0xFF;
                int g = data[pixel + green] & 0xFF;
                int b = data[pixel + blue] & 0xFF;
                if (alpha) {
                    int a = data[pixel + alphaOffset] & 0xFF;
                    if (a != 255) {
                        r = premultiplied ? Math.min(255, r + 255 - a) : overWhite(r, a);
                        g = premultiplied ? Math.min(255, g + 255 - a) : overWhite(g, a);
                        b = premultiplied ? Math.min(255, b + 255 - a) : overWhite(b, a);
                    }
                }
                rgb[out++] = (byte) r;
                rgb[out++] = (byte) g;
                rgb[out++] = (byte) b;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** TYPE_INT_RGB and TYPE_INT_ARGB (straight alpha): one int per pixel, standard masks. */
    private static RgbImage fromPackedInts(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (!(image.getColorModel() instanceof DirectColorModel colorModel)
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sampleModel)
                || !(raster.getDataBuffer() instanceof DataBufferInt buffer)
                || !colorModel.getColorSpace().isCS_sRGB()
                || colorModel.isAlphaPremultiplied()
                || colorModel.getRedMask() != 0xFF0000
                || colorModel.getGreenMask() != 0xFF00
                || colorModel.getBlueMask() != 0xFF
                || (colorModel.hasAlpha() && colorModel.getAlphaMask() != 0xFF000000)
                || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0) {
            return null;
        }
        boolean alpha = colorModel.hasAlpha();
        int[] data = buffer.getData();
        int base = buffer.getOffset();
        int scanlineStride = sampleModel.getScanlineStride();
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[3 * width * height];
        int out = 0;
        for (int y = 0; y < height; y++) {
            int row = base + y * scanlineStride;
            for (int x = 0; x < width; x++) {
                out = putArgb(rgb, out, data[row + x], alpha);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Palette images (TYPE_BYTE_INDEXED, TYPE_BYTE_BINARY, grey PNGs of 1, 2 or 4 bits). */
    private static RgbImage fromPalette(BufferedImage image) {
        if (!(image.getColorModel() instanceof IndexColorModel palette)
                || !palette.getColorSpace().isCS_sRGB()) {
            return null;
        }
        int entries = palette.getMapSize();
        int[] argb = new int[entries];
        palette.getRGBs(argb);
        WritableRaster raster = image.getRaster();
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[3 * width * height];
        int[] indices = new int[width];
        int out = 0;
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, indices);
            for (int x = 0; x < width; x++) {
                int index = indices[x];
                out = putArgb(rgb, out, index < entries ? argb[index] : 0xFF000000, true);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Other component layouts, e.g. 16-bit PNGs: samples are read per row and cut to their top 8 bits. */
    private static RgbImage fromComponentSamples(BufferedImage image) {
        ColorModel colorModel = image.getColorModel();
        if (!(colorModel instanceof ComponentColorModel) || colorModel.isAlphaPremultiplied()) {
            return null;
        }
        int colours = colourBands(colorModel);
        boolean alpha = colorModel.hasAlpha();
        int bands = colours + (alpha ? 1 : 0);
        WritableRaster raster = image.getRaster();
        if (colours == 0 || raster.getNumBands() != bands) {
            return null;
        }
        int[] shifts = new int[bands];
        for (int band = 0; band < bands; band++) {
            int bits = colorModel.getComponentSize(band);
            if (bits < 8 || bits > 16) {
                return null;
            }
            shifts[band] = bits - 8;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[3 * width * height];
        int[] samples = new int[width * bands];
        int out = 0;
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, samples);
            for (int x = 0, s = 0; x < width; x++, s += bands) {
                int r = samples[s] >>> shifts[0];
                int g = colours == 3 ? samples[s + 1] >>> shifts[1] : r;
                int b = colours == 3 ? samples[s + 2] >>> shifts[2] : r;
                if (alpha) {
                    int a = samples[s + colours] >>> shifts[colours];
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                rgb[out++] = (byte) r;
                rgb[out++] = (byte) g;
                rgb[out++] = (byte) b;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Anything else: Java's own conversion to sRGB, one row at a time. */
    private static RgbImage fromArgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[3 * width * height];
        int[] row = new int[width];
        int out = 0;
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                out = putArgb(rgb, out, row[x], true);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static int putArgb(byte[] rgb, int out, int argb, boolean alpha) {
        int r = (argb >>> 16) & 0xFF;
        int g = (argb >>> 8) & 0xFF;
        int b = argb & 0xFF;
        int a = alpha ? argb >>> 24 : 255;
        if (a != 255) {
            r = overWhite(r, a);
            g = overWhite(g, a);
            b = overWhite(b, a);
        }
        rgb[out] = (byte) r;
        rgb[out + 1] = (byte) g;
        rgb[out + 2] = (byte) b;
        return out + 3;
    }

    /**
     * 3 for sRGB, 1 for grey (whose stored values are copied to R, G and B as they are, like PIL does, rather
     * than treated as linear light the way Java's grey colour space would), 0 for any other colour space.
     */
    private static int colourBands(ColorModel colorModel) {
        ColorSpace space = colorModel.getColorSpace();
        if (space.isCS_sRGB()) {
            return 3;
        }
        return space.getType() == ColorSpace.TYPE_GRAY && space.getNumComponents() == 1 ? 1 : 0;
    }
}
