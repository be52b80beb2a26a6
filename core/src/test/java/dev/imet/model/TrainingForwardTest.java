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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The networks train: gradients reach every parameter, also after values were loaded into them. */
class TrainingForwardTest {
    @Test
    void gradientsReachEveryTrainableParameterOfAnSeNetwork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // the smallest network with every kind of part: bottleneck, groups, downsample and SE
            ModelSpec spec = new ModelSpec("test_se", ModelRegistry.IMAGENET_INPUT.withSize(32),
                    new ResNetLayout(true, new int[] {1, 1, 1, 1}, 4, 4, 8, new int[] {16, 16, 16, 16}, true), null);
            Block block = spec.buildInitialized(3, manager);
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
                    assertThat(p.getArray().getGradient().abs().sum().getFloat()).as(name).isPositive();
                }
            });
            assertThat(parameters.get("layer1.0.bn1.running_mean").requiresGradient()).isFalse();
        }
    }

    @Test
    void batchNormUsesPyTorchMomentumAndEpsilon() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchBatchNorm bn = TorchLayers.batchNorm();
            bn.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 1, 2));
            NDArray x = manager.create(new float[] {1, 3, 5, 7}, new Shape(2, 1, 1, 2));
            NDArray y = bn.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            Map<String, Parameter> p = StateDict.parameters(bn);
            // batch mean 4, biased variance 5, unbiased 20/3; PyTorch: running = 0.9 * running + 0.1 * batch
            assertThat(p.get("running_mean").getArray().getFloat(0)).isCloseTo(0.9f * 0 + 0.1f * 4, within(1e-6f));
            assertThat(p.get("running_var").getArray().getFloat(0)).isCloseTo(0.9f * 1 + 0.1f * 20 / 3f, within(1e-5f));
            assertThat(y.getFloat(0, 0, 0, 0)).isCloseTo((float) (-3 / Math.sqrt(5 + 1e-5)), within(1e-6f));
        }
    }

    private static org.assertj.core.data.Offset<Float> within(float tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }
}
