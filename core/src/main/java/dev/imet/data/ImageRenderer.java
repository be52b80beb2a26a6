package dev.imet.data;

import dev.imet.common.InputSpec;
import java.util.SplittableRandom;

/**
 * Produces the normalised CHW floats of a {@link RenderPlan} in one pass over the output pixels: each output
 * pixel is mapped back through the shift, rotation, mirror and resize to a point of the crop window, which is
 * sampled bilinearly; then contrast, brightness and noise are applied and the value normalised. No
 * intermediate image is made.
 *
 * <p>Coordinates are continuous with pixel centres at +0.5, so a plain resize is OpenCV's bilinear resize
 * (INTER_LINEAR, half-pixel centres). The crop rule keeps the downscale factor at most 2, where bilinear sampling
 * stays close to area averaging (at exactly 2 it is the 2x2 average), so no separate anti-aliasing pass is needed.
 * Points that the shift or rotation carries outside the window are mirrored at its edges (OpenCV's
 * BORDER_REFLECT: the edge pixel is repeated; albumentations' default REFLECT_101 differs by one pixel).
 */
final class ImageRenderer {
    private ImageRenderer() {}

    /**
     * Renders {@code plan} of {@code image} as {@code 3 x size x size} floats (the input's size) into {@code out}
     * at {@code offset}: {@code (value / 255 - mean[c]) / std[c]}.
     */
    static void render(RgbImage image, RenderPlan plan, InputSpec input, float[] out, int offset) {
        int size = input.size();
        Finisher finisher = new Finisher(plan, size, input.mean(), input.std(), out, offset);
        if (plan.rotation() == 0) {
            renderSeparable(image, plan, size, finisher);
        } else {
            renderRotated(image, plan, size, finisher);
        }
    }

    /**
     * Without rotation, a column's source columns and weights are the same on every row (and a row's on every
     * column), so they are worked out once.
     */
    private static void renderSeparable(RgbImage image, RenderPlan plan, int size, Finisher finisher) {
        int[] left = new int[size];
        int[] right = new int[size];
        double[] rightWeight = new double[size];
        for (int ox = 0; ox < size; ox++) {
            double u = ox + 0.5 - plan.shiftX() * size;
            if (plan.flip()) {
                u = size - u;
            }
            double sourceX = plan.cropX() + reflect(u, size) * plan.cropWidth() / size - 0.5;
            int x0 = (int) Math.floor(sourceX);
            rightWeight[ox] = sourceX - x0;
            left[ox] = 3 * clamp(x0, plan.cropX(), plan.cropX() + plan.cropWidth() - 1);
            right[ox] = 3 * clamp(x0 + 1, plan.cropX(), plan.cropX() + plan.cropWidth() - 1);
        }
        byte[] rgb = image.rgb();
        int rowBytes = 3 * image.width();
        for (int oy = 0; oy < size; oy++) {
            double v = oy + 0.5 - plan.shiftY() * size;
            double sourceY = plan.cropY() + reflect(v, size) * plan.cropHeight() / size - 0.5;
            int y0 = (int) Math.floor(sourceY);
            double wy = sourceY - y0;
            int top = clamp(y0, plan.cropY(), plan.cropY() + plan.cropHeight() - 1) * rowBytes;
            int bottom = clamp(y0 + 1, plan.cropY(), plan.cropY() + plan.cropHeight() - 1) * rowBytes;
            for (int ox = 0; ox < size; ox++) {
                finisher.sample(rgb, top + left[ox], top + right[ox], bottom + left[ox], bottom + right[ox],
                        rightWeight[ox], wy, oy * size + ox);
            }
        }
    }

    /** With rotation every output pixel is mapped on its own. */
    private static void renderRotated(RgbImage image, RenderPlan plan, int size, Finisher finisher) {
        byte[] rgb = image.rgb();
        int rowBytes = 3 * image.width();
        double centre = size / 2.0;
        double cos = Math.cos(plan.rotation());
        double sin = Math.sin(plan.rotation());
        double toSourceX = plan.cropWidth() / (double) size;
        double toSourceY = plan.cropHeight() / (double) size;
        int firstX = plan.cropX();
        int lastX = plan.cropX() + plan.cropWidth() - 1;
        int firstY = plan.cropY();
        int lastY = plan.cropY() + plan.cropHeight() - 1;
        for (int oy = 0; oy < size; oy++) {
            double qy = oy + 0.5 - centre - plan.shiftY() * size;
            for (int ox = 0; ox < size; ox++) {
                double qx = ox + 0.5 - centre - plan.shiftX() * size;
                // Inverse rotation about the centre, then undo the mirror: a point of the resized window.
                double u = cos * qx + sin * qy + centre;
                double v = -sin * qx + cos * qy + centre;
                if (plan.flip()) {
                    u = size - u;
                }
                double sourceX = firstX + reflect(u, size) * toSourceX - 0.5;
                double sourceY = firstY + reflect(v, size) * toSourceY - 0.5;
                int x0 = (int) Math.floor(sourceX);
                int y0 = (int) Math.floor(sourceY);
                int left = 3 * clamp(x0, firstX, lastX);
                int right = 3 * clamp(x0 + 1, firstX, lastX);
                int top = clamp(y0, firstY, lastY) * rowBytes;
                int bottom = clamp(y0 + 1, firstY, lastY) * rowBytes;
                finisher.sample(rgb, top + left, top + right, bottom + left, bottom + right, sourceX - x0,
                        sourceY - y0, oy * size + ox);
            }
        }
    }

    /** Bilinear interpolation of one pixel, then contrast, brightness, noise and normalisation into the output. */
    private static final class Finisher {
        private final float[] out;
        private final int offset;
        private final int plane;
        private final double scale0;
        private final double scale1;
        private final double scale2;
        private final double bias0;
        private final double bias1;
        private final double bias2;
        private final boolean photometric;
        private final double contrast;
        private final double brightness;
        private final double sigma;
        private final SplittableRandom noise;

        Finisher(RenderPlan plan, int size, float[] mean, float[] std, float[] out, int offset) {
            this.out = out;
            this.offset = offset;
            this.plane = size * size;
            scale0 = 1.0 / (255.0 * std[0]);
            scale1 = 1.0 / (255.0 * std[1]);
            scale2 = 1.0 / (255.0 * std[2]);
            bias0 = -mean[0] / (double) std[0];
            bias1 = -mean[1] / (double) std[1];
            bias2 = -mean[2] / (double) std[2];
            contrast = plan.contrast();
            brightness = plan.brightness() * 255.0;
            photometric = contrast != 1 || brightness != 0;
            sigma = plan.noiseSigma();
            noise = sigma > 0 ? new SplittableRandom(plan.noiseSeed()) : null;
        }

        /** Interpolates the pixels at byte offsets a (top left), b (top right), c, d with weights wx, wy. */
        void sample(byte[] rgb, int a, int b, int c, int d, double wx, double wy, int at) {
            float fx = (float) wx;
            float fy = (float) wy;
            float wa = (1 - fx) * (1 - fy);
            float wb = fx * (1 - fy);
            float wc = (1 - fx) * fy;
            float wd = fx * fy;
            float red = (rgb[a] & 0xFF) * wa + (rgb[b] & 0xFF) * wb + (rgb[c] & 0xFF) * wc + (rgb[d] & 0xFF) * wd;
            float green = (rgb[a + 1] & 0xFF) * wa + (rgb[b + 1] & 0xFF) * wb + (rgb[c + 1] & 0xFF) * wc
                    + (rgb[d + 1] & 0xFF) * wd;
            float blue = (rgb[a + 2] & 0xFF) * wa + (rgb[b + 2] & 0xFF) * wb + (rgb[c + 2] & 0xFF) * wc
                    + (rgb[d + 2] & 0xFF) * wd;
            int index = offset + at;
            out[index] = (float) (adjust(red) * scale0 + bias0);
            out[index + plane] = (float) (adjust(green) * scale1 + bias1);
            out[index + 2 * plane] = (float) (adjust(blue) * scale2 + bias2);
        }

        private double adjust(double value) {
            if (photometric) {
                value = clamp255(value * contrast + brightness);
            }
            if (noise != null) {
                value = clamp255(value + sigma * noise.nextGaussian());
            }
            return value;
        }
    }

    /** Folds {@code t} into [0, length] by mirroring at 0 and length, as often as needed. */
    static double reflect(double t, double length) {
        if (t >= 0 && t <= length) {
            return t;
        }
        double period = 2 * length;
        double folded = t % period;
        if (folded < 0) {
            folded += period;
        }
        return folded > length ? period - folded : folded;
    }

    private static int clamp(int value, int low, int high) {
        return value < low ? low : Math.min(value, high);
    }

    private static double clamp255(double value) {
        return value < 0 ? 0 : Math.min(value, 255);
    }
}
