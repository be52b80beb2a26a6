package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Java network is its PyTorch original: same parameter names and shapes in the same order, and, filled by
 * the reference generator, the same logits for the reference input as {@code export_reference.py} wrote
 * (its outputs for --classes 5 --size 64, copied to src/test/resources/reference/), in either memory format.
 */
class SameNetworkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet34", "resnet50", "resnet101", "resnext50_32x4d",
        "seresnext50_32x4d", "seresnext101_32x4d"})
    void javaNetworkIsThePyTorchNetwork(String arch) throws IOException {
        JsonNode reference = reference(arch);
        int classes = reference.get("classes").asInt();
        int size = reference.get("size").asInt();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelRegistry.get(arch).buildInitialized(classes, manager);
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
            assertThat(stateDictNamesAndShapes(parameters)).isEqualTo(namesAndShapes(reference.get("param_names")));
            assertThat(StateDict.parameterCount(block)).isEqualTo(reference.get("params").asLong());

            ReferenceGenerator.fill(parameters);
            for (MemoryFormat format : MemoryFormat.values()) {
                float[] logits = logits(block, manager, ReferenceGenerator.input(2, size), size, format);
                assertMatches(logits, reference.get("logits"));
            }
        }
    }

    static float[] logits(Block block, NDManager manager, float[] input, int size) {
        return logits(block, manager, input, size, MemoryFormat.CONTIGUOUS);
    }

    static float[] logits(Block block, NDManager manager, float[] input, int size, MemoryFormat format) {
        NDArray x = format.arrange(manager.create(input, new Shape(input.length / (3L * size * size), 3, size, size)));
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    /** Within 1e-4 x max(1, largest |logit|), as the acceptance criterion says. */
    static void assertMatches(float[] logits, JsonNode expectedRows) {
        List<Double> expected = new ArrayList<>();
        expectedRows.forEach(row -> row.forEach(v -> expected.add(v.asDouble())));
        assertThat(logits).hasSize(expected.size());
        double largest = expected.stream().mapToDouble(Math::abs).max().orElse(0);
        double tolerance = 1e-4 * Math.max(1, largest);
        for (int i = 0; i < logits.length; i++) {
            assertThat((double) logits[i]).as("logit %d", i)
                    .isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    static JsonNode reference(String arch) throws IOException {
        try (InputStream in = SameNetworkTest.class.getResourceAsStream("/reference/" + arch + ".json")) {
            return JSON.readTree(in);
        }
    }

    /** "name [shape]" per state-dict entry, num_batches_tracked included as PyTorch lists it. */
    static List<String> stateDictNamesAndShapes(Map<String, Parameter> parameters) {
        List<String> out = new ArrayList<>();
        parameters.forEach((name, p) -> {
            out.add(name + " " + TensorData.formatShape(p.getShape().getShape()));
            String counter = StateDict.numBatchesTrackedFor(name);
            if (counter != null) {
                out.add(counter + " []");
            }
        });
        return out;
    }

    static List<String> namesAndShapes(JsonNode paramNames) {
        List<String> out = new ArrayList<>();
        for (JsonNode entry : paramNames) {
            long[] shape = new long[entry.get(1).size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get(1).get(i).asLong();
            }
            out.add(entry.get(0).asText() + " " + TensorData.formatShape(shape));
        }
        return out;
    }
}
