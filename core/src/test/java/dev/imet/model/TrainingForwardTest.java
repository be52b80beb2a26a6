package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The networks train at either precision: float32 gradients reach every parameter, batch norm keeps its statistics. */
class TrainingForwardTest {
    /**
     * The last stage unfolded into matrix products ({@link SmallConvolutions#MATMUL}) computes what the direct
     * convolutions compute, forward and backward, in either memory format and precision: tiny_resnet at 64 px, whose
     * last stage puts out 2 x 2, then the same for a 1 x 1 output at 32 px.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void unfoldedSmallConvolutionsGiveTheDirectOnesLogitsAndGradients(Precision precision) {
        // bf16: each algorithm rounds its own bfloat16 outputs, and the difference grows along the backward pass to
        // a few per cent of the stem's gradients; an unfolding that mixed up elements would be off by their size
        double tolerance = precision == Precision.FP32 ? 1e-4 : 1e-1;
        for (int size : new int[] {64, 32}) {
            for (MemoryFormat format : MemoryFormat.values()) {
                Map<String, float[]> direct = new LinkedHashMap<>();
                Map<String, float[]> unfolded = new LinkedHashMap<>();
                forwardAndBackward(precision, SmallConvolutions.DIRECT, format, size, direct);
                forwardAndBackward(precision, SmallConvolutions.MATMUL, format, size, unfolded);
                assertThat(unfolded.keySet()).isEqualTo(direct.keySet()).contains("layer4.0.conv2.weight");
                direct.forEach((name, expected) -> {
                    float[] actual = unfolded.get(name);
                    float largest = 0;
                    float worst = 0;
                    for (int i = 0; i < expected.length; i++) {
                        largest = Math.max(largest, Math.abs(expected[i]));
                        worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                    }
                    assertThat((double) worst).as("%s at %d px, %s, %s", name, size, format, precision)
                            .isLessThanOrEqualTo(tolerance * largest);
                });
            }
        }
    }

    /** The logits (as "logits") and every parameter's gradient of one training forward and backward. */
    private static void forwardAndBackward(Precision precision, SmallConvolutions small, MemoryFormat format, int size,
            Map<String, float[]> out) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelRegistry.get("tiny_resnet").buildInitialized(5, size, manager, precision, small);
            Map<String, Parameter> parameters = StateDict.parameters(block);
            ReferenceGenerator.fill(parameters);
            NDArray x = format.arrange(manager.create(ReferenceGenerator.input(4, size), new Shape(4, 3, size, size)));
            Engine.getInstance().setRandomSeed(5); // the same dropout mask for both
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                out.put("logits", y.toFloatArray());
                collector.backward(y.square().sum());
            }
            parameters.forEach((name, p) -> {
                if (p.requiresGradient()) {
                    out.put(name, p.getArray().getGradient().toFloatArray());
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gradientsReachEveryTrainableParameterOfAnSeNetwork(Precision precision) {
        try (NDManager manager = NDManager.newBaseManager()) {
            // the smallest network with every kind of part: bottleneck, groups, downsample and SE
            ModelSpec spec = new ModelSpec("test_se", ModelRegistry.IMAGENET_INPUT.withSize(32),
                    new ResNetLayout(true, new int[] {1, 1, 1, 1}, 4, 4, 8, new int[] {16, 16, 16, 16}, true), null);
            Block block = spec.buildInitialized(3, 32, manager, precision);
            Map<String, Parameter> parameters = StateDict.parameters(block);
            ReferenceGenerator.fill(parameters);
            NDArray x = manager.create(ReferenceGenerator.input(2, 32), new Shape(2, 3, 32, 32));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(2, 3));
                collector.backward(y.square().sum());
            }
            parameters.forEach((name, p) -> {
                if (p.requiresGradient()) {
                    NDArray gradient = p.getArray().getGradient();
                    assertThat(gradient.getDataType()).as(name).isEqualTo(DataType.FLOAT32);
                    assertThat(gradient.abs().sum().getFloat()).as(name).isPositive();
                }
            });
            assertThat(parameters.get("layer1.0.bn1.running_mean").requiresGradient()).isFalse();
        }
    }

    /**
     * A training forward updates the running statistics in place on the float32 parameter arrays with PyTorch's
     * momentum (0.1; the unbiased batch variance), at either precision: bn1's against the stem convolution's output
     * computed here.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void batchNormUpdatesRunningStatisticsWithPyTorchMomentum(Precision precision) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelSpec spec = ModelRegistry.get("tiny_resnet");
            Block block = spec.buildInitialized(3, 32, manager, precision);
            Map<String, Parameter> parameters = StateDict.parameters(block);
            ReferenceGenerator.fill(parameters);
            NDArray x = manager.create(ReferenceGenerator.input(2, 32), new Shape(2, 3, 32, 32));
            NDArray stem = Conv2d.conv2d(x, parameters.get("conv1.weight").getArray(), null, new Shape(2, 2),
                    new Shape(3, 3), new Shape(1, 1), 1).singletonOrThrow();
            int[] axes = {0, 2, 3};
            long count = stem.size() / stem.getShape().get(1);
            NDArray batchMean = stem.sum(axes).div(count);
            NDArray batchVar = stem.sub(stem.sum(axes, true).div(count)).square().sum(axes).div(count - 1);
            float[] meanBefore = parameters.get("bn1.running_mean").getArray().toFloatArray();
            float[] varBefore = parameters.get("bn1.running_var").getArray().toFloatArray();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
            }
            NDArray mean = parameters.get("bn1.running_mean").getArray();
            assertThat(mean.getDataType()).isEqualTo(DataType.FLOAT32);
            float tolerance = precision == Precision.FP32 ? 1e-4f : 2e-2f;
            float[] m = mean.toFloatArray();
            float[] v = parameters.get("bn1.running_var").getArray().toFloatArray();
            float[] bm = batchMean.toFloatArray();
            float[] bv = batchVar.toFloatArray();
            for (int c = 0; c < m.length; c++) {
                float expectedMean = 0.9f * meanBefore[c] + 0.1f * bm[c];
                float expectedVar = 0.9f * varBefore[c] + 0.1f * bv[c];
                assertThat(m[c]).as("running_mean[%d]", c)
                        .isCloseTo(expectedMean, within(tolerance * Math.max(1, Math.abs(expectedMean))));
                assertThat(v[c]).as("running_var[%d]", c)
                        .isCloseTo(expectedVar, within(tolerance * Math.max(1, Math.abs(expectedVar))));
            }
        }
    }

    /**
     * The forward keeps nothing in the network's manager: its output and everything it makes belong to the input's
     * (the Spark executors count the arrays of a shared network between batches).
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void aForwardLeavesNoArrayInTheNetworksManager(Precision precision) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelRegistry.get("tiny_resnet").buildInitialized(3, 32, manager, precision);
            int atLoad = manager.getManagedArrays().size();
            ParameterStore store = new ParameterStore(manager, false);
            for (boolean training : new boolean[] {true, false, true, false}) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = batch.create(ReferenceGenerator.input(2, 32), new Shape(2, 3, 32, 32));
                    if (training) {
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            collector.backward(block.forward(store, new NDList(x), true).singletonOrThrow().sum());
                        }
                    } else {
                        block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
                    }
                }
                assertThat(manager.getManagedArrays()).as("training " + training).hasSize(atLoad);
            }
        }
    }

    /**
     * Stage 1 trains the head only and the checks run between its steps: an evaluation forward after training
     * forwards with frozen parameters (TorchScript's optimising executor made this fail; it is off).
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void evaluationFollowsTrainingWithFrozenParameters(Precision precision) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelRegistry.get("tiny_resnet").buildInitialized(3, 32, manager, precision);
            StateDict.parameters(block).forEach((name, p) -> p.freeze(!name.startsWith(ResNet.CLASSIFIER + ".")));
            ParameterStore store = new ParameterStore(manager, false);
            for (int i = 0; i < 3; i++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = batch.create(ReferenceGenerator.input(2, 32), new Shape(2, 3, 32, 32));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(block.forward(store, new NDList(x), true).singletonOrThrow().sum());
                    }
                    boolean recording = ai.djl.pytorch.jni.JniUtils.isGradMode();
                    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
                    try {
                        assertThat(block.forward(store, new NDList(x), false).singletonOrThrow().getShape())
                                .isEqualTo(new Shape(2, 3));
                    } finally {
                        ai.djl.pytorch.jni.JniUtils.setGradMode(recording);
                    }
                }
            }
        }
    }

    private static org.assertj.core.data.Offset<Float> within(float tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }
}
