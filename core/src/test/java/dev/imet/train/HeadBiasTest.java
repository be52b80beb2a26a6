package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.imet.model.ModelRegistry;
import dev.imet.model.StateDict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadBiasTest {
    @Test
    void setsEveryClassifierBiasAndNothingElse() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> parameters = StateDict.parameters(
                    ModelRegistry.get("tiny_resnet").buildInitialized(7, 32, manager));
            float[] weightBefore = parameters.get("fc.weight").getArray().toFloatArray();
            float[] biasBefore = parameters.get("fc.bias").getArray().toFloatArray();

            HeadBias.apply(parameters, null);
            assertThat(parameters.get("fc.bias").getArray().toFloatArray()).containsExactly(biasBefore);

            HeadBias.apply(parameters, -4.0);
            assertThat(parameters.get("fc.bias").getArray().toFloatArray()).hasSize(7).containsOnly(-4f);
            assertThat(parameters.get("fc.weight").getArray().toFloatArray()).containsExactly(weightBefore);
        }
    }
}
