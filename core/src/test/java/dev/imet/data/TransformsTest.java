package dev.imet.data;

import static dev.imet.data.TestImages.MEAN;
import static dev.imet.data.TestImages.STD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransformsTest {
    @Test
    void evalKeepsAnImageOfTheOutputSizeExactlyAndNormalisesChannelMajor() {
        RgbImage image = TestImages.random(5, 5, 3);
        float[] out = Transforms.ttaView(0, TestImages.input(5)).apply(image, new Random(1));
        assertThat(out).hasSize(3 * 5 * 5);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 5; x++) {
                    assertThat(out[c * 25 + y * 5 + x])
                            .isCloseTo(TestImages.normalised(image.value(x, y, c), c), within(1e-6f));
                }
            }
        }
    }

    @Test
    void evalIsDeterministicAndIgnoresTheRandomSource() {
        RgbImage image = TestImages.random(37, 23, 4);
        ImageTransform eval = Transforms.ttaView(0, TestImages.input(8));
        assertThat(eval.apply(image, new Random(1))).isEqualTo(eval.apply(image, new Random(2)));
        assertThat(Transforms.ttaView(0, TestImages.input(8)).apply(image, new Random(3)))
                .isEqualTo(eval.apply(image, new Random(4)));
    }

    @Test
    void halvingAveragesTwoByTwoBlocks() {
        RgbImage image = TestImages.random(4, 4, 5);
        float[] out = Transforms.ttaView(0, TestImages.input(2)).apply(image, new Random(0));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    double mean = (image.value(2 * x, 2 * y, c) + image.value(2 * x + 1, 2 * y, c)
                            + image.value(2 * x, 2 * y + 1, c) + image.value(2 * x + 1, 2 * y + 1, c)) / 4.0;
                    assertThat(out[c * 4 + y * 2 + x]).isCloseTo(TestImages.normalised(mean, c), within(1e-5f));
                }
            }
        }
    }

    @Test
    void cropRuleCutsOnlySidesLongerThanTwiceTheSize() {
        assertThat(RenderPlan.cropLength(1000, 320)).isEqualTo(640);
        assertThat(RenderPlan.cropLength(500, 320)).isEqualTo(500);
        RgbImage wide = TestImages.random(10, 3, 6);
        RenderPlan centred = RenderPlan.centred(wide, 2, false);
        assertThat(new int[] {centred.cropX(), centred.cropY(), centred.cropWidth(), centred.cropHeight()})
                .containsExactly(3, 0, 4, 3);
        boolean[] seenX = new boolean[7];
        Random rng = new Random(7);
        for (int i = 0; i < 500; i++) {
            RenderPlan plan = RenderPlan.train(wide, 2, rng);
            assertThat(plan.cropWidth()).isEqualTo(4);
            assertThat(plan.cropHeight()).isEqualTo(3);
            assertThat(plan.cropY()).isZero();
            seenX[plan.cropX()] = true;
        }
        assertThat(seenX).containsOnly(true);
    }

    @Test
    void evalSeesOnlyTheCentredWindow() {
        // Red outside columns 3..6 of a 10-wide image, blue inside; the centred 4-wide window is all blue.
        RgbImage image = TestImages.filled(10, 3, 255, 0, 0);
        for (int y = 0; y < 3; y++) {
            for (int x = 3; x <= 6; x++) {
                int at = 3 * (y * 10 + x);
                image.rgb()[at] = 0;
                image.rgb()[at + 2] = (byte) 255;
            }
        }
        float[] out = Transforms.ttaView(0, TestImages.input(2)).apply(image, new Random(0));
        for (int i = 0; i < 4; i++) {
            assertThat(TestImages.raw(out[i], 0)).isCloseTo(0, within(1e-3));
            assertThat(TestImages.raw(out[8 + i], 2)).isCloseTo(255, within(1e-3));
        }
    }

    @Test
    void mirrorViewIsTheExactFlipOfTheEvalView() {
        for (int[] shape : new int[][] {{37, 23, 8}, {700, 90, 32}, {9, 9, 5}, {64, 64, 31}}) {
            RgbImage image = TestImages.random(shape[0], shape[1], shape[2]);
            int size = shape[2];
            float[] view0 = Transforms.ttaView(0, TestImages.input(size)).apply(image, new Random(1));
            float[] view1 = Transforms.ttaView(1, TestImages.input(size)).apply(image, new Random(1));
            assertThat(view1).isEqualTo(mirrored(view0, size));
            assertThat(view1).isNotEqualTo(view0);
        }
    }

    @Test
    void extraViewsAreReproducibleAndDifferByView() {
        RgbImage image = TestImages.random(30, 20, 9);
        float[] view2 = Transforms.ttaView(2, TestImages.input(16)).apply(image, new Random(5));
        assertThat(Transforms.ttaView(2, TestImages.input(16)).apply(image, new Random(5))).isEqualTo(view2);
        assertThat(Transforms.ttaView(3, TestImages.input(16)).apply(image, new Random(5))).isNotEqualTo(view2);
        assertThat(Transforms.ttaView(2, TestImages.input(16)).apply(image, new Random(6))).isNotEqualTo(view2);
        assertThat(view2).isNotEqualTo(Transforms.ttaView(0, TestImages.input(16)).apply(image, new Random(5)));
    }

    @Test
    void flipMirrorsAnAsymmetricImage() {
        // Left half black, right half white.
        RgbImage image = TestImages.filled(8, 8, 0, 0, 0);
        for (int i = 0; i < 64; i++) {
            if (i % 8 >= 4) {
                image.rgb()[3 * i] = (byte) 255;
            }
        }
        float[] out = render(image, new RenderPlan(0, 0, 8, 8, true, 0, 0, 0, 1, 0, 0, 0), 8);
        assertThat(TestImages.raw(out[0], 0)).isCloseTo(255, within(1e-3)); // top left is now white
        assertThat(TestImages.raw(out[7], 0)).isCloseTo(0, within(1e-3));
    }

    @Test
    void positiveRotationTurnsClockwiseOnScreen() {
        // Bright right column: after a quarter turn clockwise it is the bottom row.
        RgbImage image = TestImages.filled(9, 9, 0, 0, 0);
        for (int y = 0; y < 9; y++) {
            image.rgb()[3 * (y * 9 + 8)] = (byte) 255;
        }
        float[] out = render(image, new RenderPlan(0, 0, 9, 9, false, Math.PI / 2, 0, 0, 1, 0, 0, 0), 9);
        for (int x = 0; x < 9; x++) {
            assertThat(TestImages.raw(out[8 * 9 + x], 0)).isCloseTo(255, within(1e-3));
            assertThat(TestImages.raw(out[4 * 9 + x], 0)).isCloseTo(0, within(1e-3));
        }
    }

    @Test
    void shiftMovesThePictureAndMirrorsAtTheBorder() {
        RgbImage image = TestImages.random(8, 8, 10);
        // A quarter of the width to the right: output column x shows source column x - 2, and columns 0, 1
        // show the mirror of source columns 1, 0.
        float[] out = render(image, new RenderPlan(0, 0, 8, 8, false, 0, 0.25, 0, 1, 0, 0, 0), 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int source = x >= 2 ? x - 2 : 1 - x;
                assertThat(out[y * 8 + x]).isCloseTo(TestImages.normalised(image.value(source, y, 0), 0), within(1e-5f));
            }
        }
        assertThat(ImageRenderer.reflect(-1, 10)).isEqualTo(1);
        assertThat(ImageRenderer.reflect(11, 10)).isEqualTo(9);
        assertThat(ImageRenderer.reflect(25, 10)).isEqualTo(5);
        assertThat(ImageRenderer.reflect(-12, 10)).isEqualTo(8);
    }

    @Test
    void brightnessContrastAndNoiseActOnZeroTo255Values() {
        RgbImage grey = TestImages.filled(64, 64, 100, 100, 100);
        float[] brighter = render(grey, new RenderPlan(0, 0, 64, 64, false, 0, 0, 0, 1, 0.1, 0, 0), 64);
        assertThat(TestImages.raw(brighter[0], 0)).isCloseTo(125.5, within(1e-3));
        float[] contrast = render(grey, new RenderPlan(0, 0, 64, 64, false, 0, 0, 0, 1.1, 0, 0, 0), 64);
        assertThat(TestImages.raw(contrast[64 * 64], 1)).isCloseTo(110, within(1e-3));
        float[] noisy = render(grey, new RenderPlan(0, 0, 64, 64, false, 0, 0, 0, 1, 0, 10, 42), 64);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < noisy.length; i++) {
            double value = TestImages.raw(noisy[i], i / (64 * 64)) - 100;
            sum += value;
            squares += value * value;
        }
        double mean = sum / noisy.length;
        assertThat(mean).isCloseTo(0, within(0.3));
        assertThat(Math.sqrt(squares / noisy.length - mean * mean)).isCloseTo(10, within(0.3));
    }

    @Test
    void trainingAugmentationIsReproducibleAndDrawsEachStepWithItsProbability() {
        RgbImage image = TestImages.random(12, 10, 11);
        ImageTransform train = Transforms.train(TestImages.input(8));
        assertThat(train.apply(image, new Random(3))).isEqualTo(train.apply(image, new Random(3)));
        float[] plain = Transforms.ttaView(0, TestImages.input(8)).apply(image, null);
        float[] mirror = mirrored(plain, 8);
        int runs = 2000;
        int unchanged = 0;
        int onlyMirrored = 0;
        Random rng = new Random(12);
        for (int i = 0; i < runs; i++) {
            float[] out = train.apply(image, rng);
            for (float value : out) {
                // Within the normalised image of 0..255 in every channel.
                assertThat(value).isBetween(TestImages.normalised(0, 0) - 1e-4f, TestImages.normalised(255, 2) + 1e-4f);
            }
            unchanged += Arrays.equals(out, plain) ? 1 : 0;
            onlyMirrored += Arrays.equals(out, mirror) ? 1 : 0;
        }
        double untouched = 0.5 * 0.7 * 0.7 * 0.7; // no flip, no colour change, no shift/rotation, no noise
        assertThat(unchanged / (double) runs).isCloseTo(untouched, within(0.04));
        assertThat(onlyMirrored / (double) runs).isCloseTo(untouched, within(0.04));
    }

    private static float[] render(RgbImage image, RenderPlan plan, int size) {
        float[] out = new float[3 * size * size];
        ImageRenderer.render(image, plan, TestImages.input(size), out, 0);
        return out;
    }

    private static float[] mirrored(float[] chw, int size) {
        float[] flipped = new float[chw.length];
        for (int row = 0; row < chw.length / size; row++) {
            for (int x = 0; x < size; x++) {
                flipped[row * size + x] = chw[row * size + size - 1 - x];
            }
        }
        return flipped;
    }
}
