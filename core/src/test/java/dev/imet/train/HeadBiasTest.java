package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.imet.data.ImageItem;
import dev.imet.model.LoadReport;
import dev.imet.model.ModelRegistry;
import dev.imet.model.StateDict;
import dev.imet.run.TrainConfig;
import java.nio.file.Path;
import java.util.List;
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

    private static ImageItem image(int... labels) {
        return new ImageItem("i" + labels.length, Path.of("x.png"), labels);
    }

    @Test
    void thePriorIsTheLogitOfTheMeanLabelFrequency() {
        // 3 positives over 2 images x 10 labels: p = 0.15, logit ln(0.15 / 0.85) = -1.7346
        assertThat(HeadBias.priorLogit(List.of(image(1, 4), image(7)), 10)).isCloseTo(-1.7346, within(1e-4));
        // no positives: p held at 1 / (2 x 4 x 5), logit ln(0.025 / 0.975) = -3.6636
        assertThat(HeadBias.priorLogit(List.of(image(), image(), image(), image()), 5))
                .isCloseTo(-3.6636, within(1e-4));
        // every label on: p held at 1/2, logit 0
        assertThat(HeadBias.priorLogit(List.of(image(0, 1)), 2)).isZero();
    }

    @Test
    void theLogSaysWhereTheBiasesStart() {
        var input = ModelRegistry.get("tiny_resnet").input();
        var none = new TrainConfig.Network("tiny_resnet", input, null, null, false, null);
        assertThat(HeadBias.describe(none, 10, null)).isEmpty();
        assertThat(HeadBias.describe(none.withPriorHeadBias(-4.8889), 2683, null)).contains(
                "head bias: -4.889, the logit of the mean label frequency of the 2683 training images");
        var fixed = new TrainConfig.Network("tiny_resnet", input, null, null, false, -4.0);
        assertThat(HeadBias.describe(fixed, 10, null)).contains("head bias: -4.000");
        var withClassifier = new LoadReport(Path.of("w.safetensors"), List.of("fc.weight", "fc.bias"), List.of(),
                List.of(), List.of());
        assertThat(HeadBias.describe(fixed, 10, withClassifier)).as("the file's biases replaced it").isEmpty();
        var withoutClassifier = new LoadReport(Path.of("w.safetensors"), List.of("conv1.weight"), List.of("fc.bias"),
                List.of(), List.of());
        assertThat(HeadBias.describe(fixed, 10, withoutClassifier)).contains("head bias: -4.000");
    }

    @Test
    void thePriorIsComputedOnceAndLeftForTheRunToRefuseWithoutTrainingImages() {
        TrainOptions options = new TrainOptions();
        options.fold = 0;
        options.arch = "tiny_resnet";
        TrainConfig asked = options.resolve();
        TrainConfig resolved = HeadBias.resolvePrior(asked, List.of(image(1, 4), image(7)), 10);
        assertThat(resolved.network().headBias()).isCloseTo(-1.7346, within(1e-4));
        assertThat(resolved.network().headBiasPrior()).isTrue();
        assertThat(HeadBias.resolvePrior(resolved, List.of(image()), 10)).as("resolved already").isEqualTo(resolved);
        assertThat(HeadBias.resolvePrior(asked, List.of(), 10)).as("no training images").isEqualTo(asked);
    }
}
