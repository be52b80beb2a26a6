package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Images as bytes (the Spark job's) pass the checks a data folder's image files pass, with the same reasons. */
class DecodeCheckedTest {
    @Test
    void aCompleteImageDecodesAsItsFileWould() {
        byte[] png = TestImages.pngBytes(TestImages.randomRgb(9, 4, 3), false);
        RgbImage image = ImageFiles.decodeChecked(png, "a.png", ImageFiles.DEFAULT_MAX_PIXELS);
        assertThat(image.width()).isEqualTo(9);
        assertThat(image.rgb()).isEqualTo(ImageDecoder.toRgb(TestImages.randomRgb(9, 4, 3)).rgb());
    }

    @Test
    void emptyTruncatedUndecodableAndTooLargeImagesAreInputErrorsNamingThem() {
        byte[] png = TestImages.pngBytes(TestImages.randomRgb(9, 4, 3), false);
        assertThatThrownBy(() -> ImageFiles.decodeChecked(new byte[0], "e.png", 100))
                .isInstanceOf(InputException.class).hasMessage("e.png: empty file (0 bytes)");
        // cut inside its image data: the structure walk finds it before ImageIO would decode a part of it
        assertThatThrownBy(() -> ImageFiles.decodeChecked(Arrays.copyOf(png, png.length - 20), "t.png", 100))
                .isInstanceOf(InputException.class).hasMessageStartingWith("t.png: ");
        assertThatThrownBy(() -> ImageFiles.decodeChecked("text".getBytes(), "x.png", 100))
                .isInstanceOf(InputException.class).hasMessageStartingWith("x.png: does not decode: ");
        assertThatThrownBy(() -> ImageFiles.decodeChecked(png, "big.png", 35))
                .isInstanceOf(InputException.class).hasMessageContaining("big.png: declares 9 x 4 pixels (36)");
        byte[] jpeg = TestImages.jpegBytes(TestImages.randomRgb(9, 4, 3), false);
        assertThatThrownBy(() -> ImageFiles.decodeChecked(Arrays.copyOf(jpeg, jpeg.length / 2), "c.jpg", 100))
                .isInstanceOf(InputException.class).hasMessageStartingWith("c.jpg: ");
    }
}
