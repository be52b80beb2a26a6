package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void rgbPngRoundTripsExactly() {
        RgbImage image = TestImages.random(7, 5, 1);
        RgbImage decoded = ImageDecoder.decode(TestImages.writePng(image, dir.resolve("a.png")));
        assertThat(decoded.width()).isEqualTo(7);
        assertThat(decoded.height()).isEqualTo(5);
        assertThat(decoded.rgb()).isEqualTo(image.rgb());
    }

    @Test
    void transparentPixelsAreCompositedOnWhite() {
        BufferedImage rgba = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0xFF102030); // opaque
        rgba.setRGB(1, 0, 0x00000000); // transparent black
        rgba.setRGB(2, 0, 0x80FF0000); // half-transparent red
        RgbImage decoded = ImageDecoder.decode(TestImages.write(rgba, dir.resolve("rgba.png")));
        int half = ImageDecoder.overWhite(0, 0x80);
        assertThat(toInts(decoded)).containsExactly(0x10, 0x20, 0x30, 255, 255, 255, 255, half, half);
        assertThat(half).isEqualTo((255 * 0x7F + 127) / 255);
        // The same pixels in memory, as TYPE_INT_ARGB and TYPE_4BYTE_ABGR, give the same result.
        assertThat(ImageDecoder.toRgb(rgba).rgb()).isEqualTo(decoded.rgb());
        BufferedImage abgr = new BufferedImage(3, 1, BufferedImage.TYPE_4BYTE_ABGR);
        abgr.setRGB(0, 0, 3, 1, rgba.getRGB(0, 0, 3, 1, null, 0, 3), 0, 3);
        assertThat(ImageDecoder.toRgb(abgr).rgb()).isEqualTo(decoded.rgb());
    }

    @Test
    void greyValuesAreCopiedToEveryChannel() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 200);
        RgbImage decoded = ImageDecoder.decode(TestImages.write(grey, dir.resolve("grey.png")));
        assertThat(toInts(decoded)).containsExactly(100, 100, 100, 200, 200, 200);
    }

    @Test
    void sixteenBitGreyKeepsItsTopByte() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0x1234);
        grey.getRaster().setSample(1, 0, 0, 0xFFFF);
        RgbImage decoded = ImageDecoder.decode(TestImages.write(grey, dir.resolve("grey16.png")));
        assertThat(toInts(decoded)).containsExactly(0x12, 0x12, 0x12, 255, 255, 255);
    }

    @Test
    void paletteImagesAreLookedUpWithTransparency() {
        byte[] reds = {(byte) 255, 0, 0};
        byte[] greens = {0, (byte) 255, 0};
        byte[] blues = {0, 0, (byte) 255};
        byte[] alphas = {(byte) 255, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(8, 3, reds, greens, blues, alphas);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int x = 0; x < 3; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        RgbImage decoded = ImageDecoder.decode(TestImages.write(indexed, dir.resolve("palette.png")));
        assertThat(toInts(decoded)).containsExactly(255, 0, 0, 0, 255, 0, 255, 255, 255);
    }

    @Test
    void packedIntRgbIsReadDirectly() {
        BufferedImage packed = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        packed.setRGB(0, 0, 2, 2, new int[] {0x010203, 0x040506, 0x070809, 0x0A0B0C}, 0, 2);
        assertThat(toInts(ImageDecoder.toRgb(packed))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void missingFileIsAnInputErrorNamingIt() {
        Path missing = dir.resolve("nothing.png");
        assertThatThrownBy(() -> ImageDecoder.decode(missing))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void undecodableFilesAreInputErrorsNamingThem() throws IOException {
        Path text = Files.writeString(dir.resolve("text.png"), "not an image");
        assertThatThrownBy(() -> ImageDecoder.decode(text))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(text.toString());
        byte[] png = Files.readAllBytes(TestImages.writePng(TestImages.random(40, 40, 2), dir.resolve("full.png")));
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> ImageDecoder.decode(truncated))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(truncated.toString());
    }

    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeItsPixelsAreAllocated() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), TestImages.hugeDeclaredPng(26000, 26000, 250));
        long allocated = Allocation.ofThisThread();
        assertThatThrownBy(() -> ImageDecoder.decode(bomb)).isInstanceOf(InputException.class)
                .hasMessage("cannot decode image " + bomb + ": declares 26000 x 26000 pixels (676,000,000), more than"
                        + " the limit of 178,956,970; raise it with --max-image-pixels");
        assertThat(Allocation.ofThisThread() - allocated).isLessThan(4 << 20); // 2 GB if it decoded

        Path small = TestImages.writePng(TestImages.random(16, 16, 3), dir.resolve("small.png"));
        assertThatThrownBy(() -> ImageDecoder.decode(small, 255)).hasMessageContaining("declares 16 x 16 pixels (256)");
        assertThat(ImageDecoder.decode(small, 256).width()).isEqualTo(16);
    }

    private static int[] toInts(RgbImage image) {
        int[] values = new int[image.rgb().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = image.rgb()[i] & 0xFF;
        }
        return values;
    }
}
