package dev.imet.data;

/**
 * A decoded picture: {@code width x height} pixels, row-major, three interleaved bytes (R, G, B) per pixel,
 * read as unsigned 0..255.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "expected " + 3L * width * height + " bytes for " + width + "x" + height + ", got " + rgb.length);
        }
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y), 0..255. */
    public int value(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }

    /** Bytes held, for cache accounting. */
    public long byteSize() {
        return rgb.length;
    }
}
