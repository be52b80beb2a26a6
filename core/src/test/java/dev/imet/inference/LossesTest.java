package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static final float[] LOGITS = {-3f, -0.5f, 0f, 2f, 40f, -40f};
    private static final float[] TARGETS = {0f, 1f, 1f, 1f, 1f, 0f};

    private static double bceByHand() {
        double sum = 0;
        for (int i = 0; i < LOGITS.length; i++) {
            double p = 1 / (1 + Math.exp(-LOGITS[i]));
            double pTrue = TARGETS[i] == 1 ? p : 1 - p;
            sum += -Math.log(Math.max(pTrue, 1e-300));
        }
        return sum / LOGITS.length;
    }

    @Test
    void bceMatchesTheDefinitionAndStaysFiniteForLargeLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = Losses.bce(m.create(LOGITS), m.create(TARGETS));
            assertThat((double) loss.getFloat()).isCloseTo(bceByHand(), within(1e-5));
        }
    }

    @Test
    void focalWithGammaZeroIsAlphaWeightedBce() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = Losses.focal(m.create(LOGITS), m.create(TARGETS), 0.5, 0.0);
            assertThat((double) loss.getFloat()).isCloseTo(0.5 * bceByHand(), within(1e-5));
        }
    }

    @Test
    void focalDownWeightsConfidentCorrectPredictions() {
        try (NDManager m = NDManager.newBaseManager()) {
            double easy = Losses.focal(m.create(new float[] {4f}), m.create(new float[] {1f}), 0.5, 0.25).getFloat();
            double easyBce = Losses.bce(m.create(new float[] {4f}), m.create(new float[] {1f})).getFloat();
            double expected = 0.5 * Math.pow(1 - Math.exp(-easyBce), 0.25) * easyBce;
            assertThat(easy).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void focalGradientIsFiniteAtPerfectPredictions() {
        try (NDManager m = NDManager.newBaseManager();
             var collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(new float[] {60f, -60f});
            x.setRequiresGradient(true);
            NDArray loss = Losses.focal(x, m.create(new float[] {1f, 0f}), 0.5, 0.25);
            collector.backward(loss);
            for (float g : x.getGradient().toFloatArray()) {
                assertThat(Float.isFinite(g)).isTrue();
            }
        }
    }
}
