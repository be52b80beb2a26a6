package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** check-data's default pass on one image file: the structure of PNG and JPEG files, and the pixel limit. */
class ImageStructureTest {
    @TempDir
    Path dir;

    /** The header pass's verdict on these bytes, with the default pixel limit. */
    private String problem(byte[] bytes) {
        return problem(bytes, ImageFiles.DEFAULT_MAX_PIXELS);
    }

    private String problem(byte[] bytes, long maxPixels) {
        try {
            return ImageFiles.problem(Files.write(dir.resolve("image"), bytes), false, maxPixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> imagesAUserCallsValid() {
        BufferedImage rgb = TestImages.randomRgb(40, 30, 1);
        return Stream.of(
                Arguments.of("RGB PNG", TestImages.pngBytes(rgb, false)),
                Arguments.of("interlaced RGB PNG", TestImages.pngBytes(rgb, true)),
                Arguments.of("grey PNG", TestImages.pngBytes(convert(rgb, BufferedImage.TYPE_BYTE_GRAY), false)),
                Arguments.of("16-bit grey PNG", TestImages.pngBytes(convert(rgb, BufferedImage.TYPE_USHORT_GRAY), false)),
                Arguments.of("16-bit RGB PNG", TestImages.pngBytes(sixteenBitRgb(rgb), false)),
                Arguments.of("grey + alpha PNG", TestImages.pngBytes(greyAlpha(rgb), true)),
                Arguments.of("RGBA PNG", TestImages.pngBytes(convert(rgb, BufferedImage.TYPE_INT_ARGB), false)),
                Arguments.of("palette PNG with transparency", TestImages.pngBytes(palette(rgb), false)),
                Arguments.of("1-bit grey PNG, interlaced", TestImages.pngBytes(convert(rgb, BufferedImage.TYPE_BYTE_BINARY), true)),
                Arguments.of("4-bit palette PNG, interlaced", TestImages.pngBytes(fourBitPalette(rgb), true)),
                Arguments.of("baseline JPEG", TestImages.jpegBytes(rgb, false)),
                Arguments.of("progressive JPEG", TestImages.jpegBytes(rgb, true)),
                Arguments.of("grey JPEG", TestImages.jpegBytes(convert(rgb, BufferedImage.TYPE_BYTE_GRAY), false)),
                Arguments.of("progressive grey JPEG", TestImages.jpegBytes(convert(rgb, BufferedImage.TYPE_BYTE_GRAY), true)),
                Arguments.of("JPEG with restart markers", TestImages.jpegWithRestartInterval(rgb)),
                Arguments.of("four-component JPEG", fourComponentJpeg()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imagesAUserCallsValid")
    void passesTheImagesAUserCallsValidAndTheyDecode(String kind, byte[] bytes) throws Exception {
        assertThat(problem(bytes)).as(kind).isNull();
        RgbImage decoded = ImageDecoder.decode(bytes, ImageFiles.DEFAULT_MAX_PIXELS);
        assertThat(List.of(decoded.width(), decoded.height())).as(kind).containsExactly(40, 30);
    }

    @Test
    void bytesAfterTheEndOfTheImageAreIgnored() {
        BufferedImage rgb = TestImages.randomRgb(40, 30, 2);
        assertThat(problem(append(TestImages.pngBytes(rgb, false), 300))).isNull();
        assertThat(problem(append(TestImages.jpegBytes(rgb, false), 300))).isNull();
    }

    @Test
    void aPngCutAnywhereIsTruncated() {
        byte[] png = TestImages.pngBytes(TestImages.randomRgb(40, 30, 3), false);
        assertThat(png.length).isGreaterThan(3000);
        assertThat(problem(Arrays.copyOf(png, 100)))
                .isEqualTo("truncated PNG: chunk IDAT at byte 33 declares " + (png.length - 57)
                        + " data bytes but the file ends at byte 100");
        assertThat(problem(Arrays.copyOf(png, png.length / 2))).startsWith("truncated PNG: chunk IDAT at byte 33");
        assertThat(problem(Arrays.copyOf(png, png.length - 12))) // without its IEND chunk
                .isEqualTo("truncated PNG: the file ends at byte " + (png.length - 12) + " without an IEND chunk");
        assertThat(problem(Arrays.copyOf(png, 5))).isEqualTo("truncated PNG: 5 bytes, shorter than the PNG signature");
    }

    @Test
    void aPngWithAFlippedByteFailsItsChecksum() {
        byte[] png = TestImages.pngBytes(TestImages.randomRgb(40, 30, 4), false);
        byte[] flipped = png.clone();
        flipped[png.length / 2] ^= 0x10;
        assertThat(problem(flipped)).isEqualTo("corrupt PNG: chunk IDAT at byte 33 fails its CRC-32 check");
        byte[] header = png.clone();
        header[18] ^= 0x01; // a bit of the width
        assertThat(problem(header)).isEqualTo("corrupt PNG: chunk IHDR at byte 8 fails its CRC-32 check");
        byte[] signature = png.clone();
        signature[6] = 'x';
        assertThat(problem(signature)).isEqualTo("corrupt PNG: damaged signature (the first 8 bytes)");
    }

    @Test
    void aPngMustDeclareASizeAndFormatThatExist() {
        TestImages.Chunk end = new TestImages.Chunk("IEND", new byte[0]);
        TestImages.Chunk data = new TestImages.Chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1});
        assertThat(problem(TestImages.png(TestImages.ihdr(0, 5, 8, 2), data, end)))
                .isEqualTo("corrupt PNG: IHDR gives size 0 x 5");
        assertThat(problem(TestImages.png(TestImages.ihdr(4, 4, 4, 2), data, end)))
                .isEqualTo("corrupt PNG: IHDR gives colour type 2 with bit depth 4, which PNG does not define");
        assertThat(problem(TestImages.png(TestImages.ihdr(4, 4, 8, 3), data, end)))
                .isEqualTo("corrupt PNG: palette image without a PLTE chunk before its image data");
        assertThat(problem(TestImages.png(data, end))).isEqualTo("corrupt PNG: the first chunk is IDAT, not IHDR");
        assertThat(problem(TestImages.png(TestImages.ihdr(4, 4, 8, 2), end)))
                .isEqualTo("corrupt PNG: no IDAT chunk (no image data) before IEND");
        assertThat(problem(TestImages.png(TestImages.ihdr(4, 4, 8, 2), data, new TestImages.Chunk("tEXt", new byte[] {'a', 0}), data, end)))
                .isEqualTo("corrupt PNG: IDAT chunk at byte 67 after other chunks that followed the image data"
                        + " (IDAT chunks must be consecutive)");
    }

    @Test
    void aJpegWithoutItsEndOfImageMarkerIsTruncated() {
        byte[] jpeg = TestImages.jpegBytes(TestImages.randomRgb(40, 30, 5), false);
        assertThat(problem(Arrays.copyOf(jpeg, jpeg.length - 2))).matches(
                "truncated JPEG: the image data from byte \\d+ has no end-of-image marker \\(EOI\\) before the end of"
                        + " the file at byte " + (jpeg.length - 2));
        assertThat(problem(Arrays.copyOf(jpeg, jpeg.length / 2))).startsWith("truncated JPEG: the image data from byte");
        assertThat(problem(Arrays.copyOf(jpeg, 100))).isEqualTo("truncated JPEG: segment DQT at byte 89 declares 67"
                + " bytes but the file ends at byte 100");
        byte[] progressive = TestImages.jpegBytes(TestImages.randomRgb(40, 30, 5), true);
        assertThat(problem(Arrays.copyOf(progressive, progressive.length - 2))).startsWith("truncated JPEG: ");
    }

    @Test
    void restartMarkersDoNotEndTheImageData() {
        byte[] jpeg = TestImages.jpegWithRestartInterval(TestImages.randomRgb(40, 30, 8));
        assertThat(problem(jpeg)).isNull();
        int restart = indexOf(jpeg, (byte) 0xD3); // RST3: the fourth of the scan's restart markers
        assertThat(problem(Arrays.copyOf(jpeg, restart + 1))).startsWith("truncated JPEG: the image data from byte");
    }

    @Test
    void aJpegThatImageIoDoesNotDecodeIsSaidSo() {
        byte[] jpeg = TestImages.jpegBytes(TestImages.randomRgb(16, 16, 6), false);
        int frame = indexOf(jpeg, (byte) 0xC0);
        byte[] arithmetic = jpeg.clone();
        arithmetic[frame] = (byte) 0xC9;
        assertThat(problem(arithmetic)).isEqualTo("JPEG of process SOF9 (lossless, hierarchical or arithmetic coding;"
                + " frame header at byte " + (frame - 1) + "), which ImageIO does not decode");
        byte[] reserved = jpeg.clone();
        reserved[frame] = (byte) 0xC8;
        assertThat(problem(reserved)).isEqualTo("corrupt JPEG: marker 0xFFC8 at byte " + (frame - 1)
                + " is not one ImageIO reads");
        byte[] twelveBit = jpeg.clone();
        twelveBit[frame + 3] = 12;
        assertThat(problem(twelveBit)).isEqualTo("JPEG of 12-bit samples, which ImageIO does not decode (SOF0 segment at"
                + " byte " + (frame - 1) + ")");
    }

    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedFromItsHeader() {
        byte[] bomb = TestImages.hugeDeclaredPng(26000, 26000, 250);
        assertThat(bomb).hasSize(250);
        long allocatedBefore = Allocation.ofThisThread();
        assertThat(problem(bomb)).isEqualTo("declares 26000 x 26000 pixels (676,000,000), more than the limit of"
                + " 178,956,970; raise it with --max-image-pixels");
        assertThat(Allocation.ofThisThread() - allocatedBefore).isLessThan(1 << 20);
        assertThat(problem(bomb, 676_000_000)).isNull();

        byte[] jpeg = TestImages.jpegBytes(TestImages.randomRgb(16, 16, 7), false);
        assertThat(problem(jpeg, 255)).isEqualTo("declares 16 x 16 pixels (256), more than the limit of 255;"
                + " raise it with --max-image-pixels");
        byte[] gif = encode(TestImages.randomRgb(16, 16, 7), "gif");
        assertThat(problem(gif, 255)).startsWith("declares 16 x 16 pixels (256)");
        assertThat(problem(gif, 256)).isNull();
    }

    private static byte[] append(byte[] bytes, int extra) {
        return Arrays.copyOf(bytes, bytes.length + extra);
    }

    private static int indexOf(byte[] bytes, byte marker) {
        for (int k = 1; k < bytes.length; k++) {
            if (bytes[k - 1] == (byte) 0xFF && bytes[k] == marker) {
                return k;
            }
        }
        throw new IllegalArgumentException("no marker " + marker);
    }

    private static BufferedImage convert(BufferedImage image, int type) {
        BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(), type);
        converted.getGraphics().drawImage(image, 0, 0, null);
        return converted;
    }

    private static BufferedImage sixteenBitRgb(BufferedImage image) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        BufferedImage sixteen = new BufferedImage(model, model.createCompatibleWritableRaster(image.getWidth(),
                image.getHeight()), false, null);
        sixteen.getGraphics().drawImage(image, 0, 0, null);
        return sixteen;
    }

    private static BufferedImage greyAlpha(BufferedImage image) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                raster.setSample(x, y, 0, image.getRGB(x, y) & 0xFF);
                raster.setSample(x, y, 1, (x * 7 + y) & 0xFF);
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static BufferedImage palette(BufferedImage image) {
        byte[] levels = {0, (byte) 85, (byte) 170, (byte) 255};
        byte[] alphas = {(byte) 255, (byte) 255, (byte) 128, 0};
        IndexColorModel model = new IndexColorModel(8, 4, levels, levels, levels, alphas);
        BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, model);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                indexed.getRaster().setSample(x, y, 0, image.getRGB(x, y) & 3);
            }
        }
        return indexed;
    }

    private static BufferedImage fourBitPalette(BufferedImage image) {
        byte[] reds = new byte[16];
        byte[] greens = new byte[16];
        byte[] blues = new byte[16];
        for (int k = 0; k < 16; k++) {
            reds[k] = (byte) (k * 17);
            greens[k] = (byte) (255 - k * 13);
            blues[k] = (byte) (k * 5);
        }
        IndexColorModel model = new IndexColorModel(4, 16, reds, greens, blues);
        BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_BINARY, model);
        indexed.getGraphics().drawImage(image, 0, 0, null);
        return indexed;
    }

    /** A 40 x 30 JPEG of four components (as CMYK scans are stored). */
    private static byte[] fourComponentJpeg() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 40, 30, 4, null);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                raster.setPixel(x, y, new int[] {x * 6, y * 8, 128, 64});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, bytes)).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
