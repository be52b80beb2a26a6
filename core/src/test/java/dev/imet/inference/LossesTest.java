package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
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

    // the asymmetric loss: p = sigmoid(x), p_m = max(p - m, 0); a positive costs (1 - p)^g+ * -log p, a negative
    // p_m^g- * -log(1 - p_m); with soft targets the official code's one weight (1 - p_t)^(g+ y + g- (1 - y))

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The official code's formula for one element, in doubles. */
    private static double aslByHand(double x, double y, double gammaPos, double gammaNeg, double clip) {
        double p = sigmoid(x);
        double negative = Math.min(1 - p + clip, 1);
        double logLikelihood = y * Math.log(p) + (1 - y) * Math.log(negative);
        double pt = p * y + negative * (1 - y);
        return -logLikelihood * Math.pow(1 - pt, gammaPos * y + gammaNeg * (1 - y));
    }

    /** The mean loss and its gradient with respect to each logit, from the engine's autograd. */
    private static double[] aslWithGradient(float[] logits, float[] targets, Losses.Asymmetric parameters) {
        try (NDManager m = NDManager.newBaseManager();
             var collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(logits);
            x.setRequiresGradient(true);
            NDArray loss = Losses.asymmetric(x, m.create(targets), parameters);
            collector.backward(loss);
            float[] gradient = x.getGradient().toFloatArray();
            double[] result = new double[1 + gradient.length];
            result[0] = loss.getFloat();
            for (int i = 0; i < gradient.length; i++) {
                result[1 + i] = gradient[i];
            }
            return result;
        }
    }

    @Test
    void aslAtThePapersDefaultsMatchesHandWorkedValuesAndGradients() {
        // x = 0, y = 1: -log 0.5, gradient p - 1 = -0.5 (g+ = 0: plain cross-entropy for positives)
        // x = 0, y = 0: p_m = 0.45, 0.45^4 * -log 0.55 = 0.0245151; gradient
        //   (-4 p_m^3 log(1 - p_m) + p_m^4 / (1 - p_m)) * p (1 - p) = (0.217911 + 0.074557) * 0.25 = 0.0731171
        // x = -3, y = 0: p = 0.0474 < m, discarded: no loss, no gradient
        float[] logits = {0f, 0f, -3f};
        float[] targets = {1f, 0f, 0f};
        double[] result = aslWithGradient(logits, targets, Losses.Asymmetric.DEFAULT);
        assertThat(result[0]).isCloseTo((Math.log(2) + 0.0245151) / 3, within(1e-6));
        assertThat(result[1]).isCloseTo(-0.5 / 3, within(1e-6));
        assertThat(result[2]).isCloseTo(0.0731171 / 3, within(1e-6));
        assertThat(result[3]).isZero();
    }

    @Test
    void aslMatchesTheOfficialFormulaOnHardAndSoftTargetsWithItsDerivative() {
        float[] logits = {-2f, -0.5f, 0f, 1f, 2f, 2f, 1f, -1f, 4f};
        float[] targets = {1f, 0f, 0.3f, 0f, 1f, 0f, 0.5f, 0.8f, 0.1f}; // mixup blends between 0 and 1
        var parameters = new Losses.Asymmetric(1, 3, 0.1);
        double[] result = aslWithGradient(logits, targets, parameters);
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double x = logits[i];
            double y = targets[i];
            sum += aslByHand(x, y, 1, 3, 0.1);
            double h = 1e-5;
            double slope = (aslByHand(x + h, y, 1, 3, 0.1) - aslByHand(x - h, y, 1, 3, 0.1)) / (2 * h);
            assertThat(result[1 + i]).as("gradient of element %d", i).isCloseTo(slope / logits.length, within(2e-6));
        }
        assertThat(result[0]).isCloseTo(sum / logits.length, within(1e-6));
    }

    @Test
    void aslWithoutFocusingOrMarginIsBce() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = Losses.asymmetric(m.create(LOGITS), m.create(TARGETS), new Losses.Asymmetric(0, 0, 0));
            assertThat((double) loss.getFloat()).isCloseTo(bceByHand(), within(1e-5));
        }
    }

    @Test
    void aslGradientIsFiniteAtSaturatedLogits() {
        float[] logits = {60f, -60f, 60f, -60f, 30f};
        float[] targets = {1f, 0f, 0f, 1f, 0.9f};
        for (var parameters : new Losses.Asymmetric[] {Losses.Asymmetric.DEFAULT, new Losses.Asymmetric(0.5, 0.5, 0)}) {
            double[] result = aslWithGradient(logits, targets, parameters);
            for (double value : result) {
                assertThat(Double.isFinite(value)).as("%s: %s", parameters, java.util.Arrays.toString(result)).isTrue();
            }
            // a positive the network is sure is absent still pulls up (log-sigmoid, no clamp at 1e-8)
            assertThat(result[4]).isLessThan(-0.1);
        }
    }

    @Test
    void lossObjectsCarryTheirParametersOnlyForAsl() {
        assertThat(Loss.of(LossKind.ASL).asymmetric()).isEqualTo(Losses.Asymmetric.DEFAULT);
        assertThat(Loss.of(LossKind.FOCAL).asymmetric()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Loss(LossKind.BCE, Losses.Asymmetric.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Losses.Asymmetric(0, 4, 1))
                .hasMessageContaining("--asl-clip");
    }

    /**
     * A loss's graph keeps the constants its backward needs (the 0 of max(x, 0), an exponent, a clip): they must stay
     * valid however long the backward comes after the forward. A constant made from a Java number by DJL lives in a
     * Java direct buffer, which the garbage collector frees once the array is closed, graph or no graph; the memory
     * is then reused, here by filling many small buffers with a large number, and the backward reads that instead.
     */
    @Test
    void theGradientIsTheSameWhenTheGarbageCollectorRunsBetweenForwardAndBackward() throws InterruptedException {
        for (LossKind kind : LossKind.values()) {
            float[] undisturbed = gradient(kind, false);
            float[] disturbed = gradient(kind, true);
            assertThat(disturbed).as(kind.name()).containsExactly(undisturbed);
        }
    }

    private static float[] gradient(LossKind kind, boolean collectGarbageBeforeBackward) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager();
                var collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(LOGITS);
            x.setRequiresGradient(true);
            NDArray loss = Loss.of(kind).compute(x, m.create(TARGETS));
            List<ByteBuffer> garbage = new ArrayList<>();
            if (collectGarbageBeforeBackward) {
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    Thread.sleep(50); // the buffers' cleaner runs on its own thread
                }
                for (int i = 0; i < 20_000; i++) {
                    garbage.add(ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder()).putFloat(0, 1e6f));
                }
            }
            collector.backward(loss);
            return x.getGradient().toFloatArray();
        }
    }
}
