package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory format changes where values lie, never what the network computes or learns. */
class MemoryFormatTest {
    @Test
    void arrangingKeepsShapeAndValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = ReferenceGenerator.input(2, 5);
            NDArray nchw = manager.create(values, new Shape(2, 3, 5, 5));
            NDArray channelsLast = MemoryFormat.CHANNELS_LAST.arrange(nchw);
            assertThat(channelsLast).isNotSameAs(nchw);
            assertThat(channelsLast.getShape()).isEqualTo(nchw.getShape());
            assertThat(channelsLast.toFloatArray()).containsExactly(values);
            assertThat(MemoryFormat.CONTIGUOUS.arrange(nchw)).isSameAs(nchw);
        }
    }

    /** Gradients of every parameter agree between the layouts (SE, groups and downsample included), to 1e-3 of the tensor's largest: summation order differs. */
    @Test
    void trainingGradientsAgreeBetweenFormats() {
        ModelSpec spec = new ModelSpec("test_se", ModelRegistry.IMAGENET_INPUT.withSize(32),
                new ResNetLayout(true, new int[] {1, 1, 1, 1}, 4, 4, 8, new int[] {16, 16, 16, 16}, true), null);
        Map<String, float[]> contiguous = gradients(spec, MemoryFormat.CONTIGUOUS);
        Map<String, float[]> channelsLast = gradients(spec, MemoryFormat.CHANNELS_LAST);
        assertThat(channelsLast.keySet()).isEqualTo(contiguous.keySet());
        contiguous.forEach((name, expected) -> {
            float[] actual = channelsLast.get(name);
            float scale = 0;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", name, i)
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3f * Math.max(scale, 1e-3f)));
            }
        });
    }

    private static Map<String, float[]> gradients(ModelSpec spec, MemoryFormat format) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = spec.buildInitialized(3, manager);
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
            ReferenceGenerator.fill(parameters);
            NDArray x = format.arrange(manager.create(ReferenceGenerator.input(2, 32), new Shape(2, 3, 32, 32)));
            Engine.getInstance().setRandomSeed(7); // the same dropout mask in the head for both formats
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.square().sum());
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            parameters.forEach((name, p) -> {
                if (p.requiresGradient()) {
                    out.put(name, p.getArray().getGradient().toFloatArray());
                }
            });
            return out;
        }
    }
}
