package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void clipScaleLeavesSmallGradientsAlone() {
        assertThat(AdamW.clipScale(3.0, 10)).isEqualTo(1.0);
        assertThat(AdamW.clipScale(20.0, 10)).isCloseTo(0.5, within(1e-6));
        assertThat(AdamW.clipScale(20.0, 0)).isEqualTo(1.0);
        assertThat(AdamW.clipScale(Double.NaN, 10)).isEqualTo(1.0);
    }

    /**
     * Three steps of two tensors in different groups, a decaying weight (2-D) and a bias (1-D, no decay), with the
     * gradients of loss = sum(c * w) (so g = c, times the clipping factor), against PyTorch's AdamW formula worked here in doubles.
     */
    @Test
    void updatesAsPyTorchsAdamWWithGroupsDecayAndClipping() {
        float[] weight0 = {0.5f, -1.0f, 2.0f, 0.25f};
        float[] bias0 = {0.1f, -0.3f};
        float[] cWeight = {1.0f, -2.0f, 0.5f, 3.0f};
        float[] cBias = {-1.5f, 0.25f};
        double[] lrs = {0.01, 0.003, 0.05};
        double weightDecay = 0.1;
        // clipping off, clipping to 2 (the gradients' norm is sqrt(16.5625), about 4.07), a limit above the norm
        double[] clipNorms = {0, 2.0, 10.0};
        double norm = Math.sqrt(1 + 4 + 0.25 + 9 + 2.25 + 0.0625);
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter weight = parameter("fc.weight", manager.create(weight0).reshape(2, 2));
            Parameter bias = parameter("layer1.0.bn1.bias", manager.create(bias0));
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            parameters.put("fc.weight", weight);
            parameters.put("layer1.0.bn1.bias", bias);
            Map<String, Integer> groups = Map.of("fc.weight", 2, "layer1.0.bn1.bias", 1);
            AdamW adam = new AdamW(parameters, groups, weightDecay, manager);

            Reference w = new Reference(weight0, cWeight, lrs[2], weightDecay);
            Reference b = new Reference(bias0, cBias, lrs[1], 0);
            for (int t = 1; t <= 3; t++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray loss;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        loss = weight.getArray().mul(step.create(cWeight).reshape(2, 2)).sum()
                                .add(bias.getArray().mul(step.create(cBias)).sum());
                    }
                    double reported = adam.step(loss, lrs, clipNorms[t - 1], step);
                    if (clipNorms[t - 1] > 0) {
                        assertThat(reported).as("gradient norm, step " + t).isCloseTo(norm, within(1e-5));
                    }
                }
                double scale = clipNorms[t - 1] > 0 && norm > clipNorms[t - 1] ? clipNorms[t - 1] / (norm + 1e-6) : 1;
                w.step(t, scale);
                b.step(t, scale);
                assertClose("weight, step " + t, weight.getArray().toFloatArray(), w.value);
                assertClose("bias, step " + t, bias.getArray().toFloatArray(), b.value);
            }
        }
    }

    private static Parameter parameter(String name, NDArray value) {
        Parameter p = Parameter.builder().setName(name).setType(name.endsWith("bias") ? Parameter.Type.BIAS
                : Parameter.Type.WEIGHT).optArray(value).build();
        value.setRequiresGradient(true);
        return p;
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("%s, element %d", what, i).isCloseTo(expected[i], within(1e-6));
        }
    }

    /** PyTorch's AdamW (torch.optim.AdamW, amsgrad off) on one tensor whose gradient is c * scale. */
    private static final class Reference {
        final double[] value;
        final double[] mean;
        final double[] variance;
        final float[] c;
        final double lr;
        final double weightDecay;

        Reference(float[] start, float[] c, double lr, double weightDecay) {
            value = new double[start.length];
            for (int i = 0; i < start.length; i++) {
                value[i] = start[i];
            }
            mean = new double[start.length];
            variance = new double[start.length];
            this.c = c;
            this.lr = lr;
            this.weightDecay = weightDecay;
        }

        void step(int t, double scale) {
            double correction1 = 1 - Math.pow(BETA1, t);
            double correction2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < value.length; i++) {
                double g = c[i] * scale;
                value[i] *= 1 - lr * weightDecay;
                mean[i] = BETA1 * mean[i] + (1 - BETA1) * g;
                variance[i] = BETA2 * variance[i] + (1 - BETA2) * g * g;
                value[i] -= lr / correction1 * mean[i] / (Math.sqrt(variance[i]) / Math.sqrt(correction2) + EPS);
            }
        }
    }
}
