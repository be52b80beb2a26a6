package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.imet.common.InputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
    /** torchvision's and timm's parameter counts with the ImageNet classifier (1000 classes); tiny_resnet's own. */
    private static final Map<String, Long> IMAGENET_PARAMETERS = Map.of(
            "resnet18", 11_689_512L,
            "resnet34", 21_797_672L,
            "resnet50", 25_557_032L,
            "resnet101", 44_549_160L,
            "resnext50_32x4d", 25_028_904L,
            "seresnext50_32x4d", 27_559_896L,
            "seresnext101_32x4d", 48_955_416L,
            "tiny_resnet", 438_456L);

    @Test
    void everyArchitectureHasItsPyTorchParameterCount() {
        assertThat(ModelRegistry.names()).containsExactlyInAnyOrderElementsOf(IMAGENET_PARAMETERS.keySet());
        for (String arch : ModelRegistry.names()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = ModelRegistry.get(arch).buildInitialized(1000, manager);
                assertThat(StateDict.parameterCount(block)).as(arch).isEqualTo(IMAGENET_PARAMETERS.get(arch));
            }
        }
    }

    @Test
    void inputDefaultsAreTheReferenceOnes() {
        ModelSpec spec = ModelRegistry.get("resnet50");
        assertThat(spec.input().size()).isEqualTo(320);
        assertThat(spec.input().mean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(spec.input().std()).containsExactly(0.229f, 0.224f, 0.225f);
        assertThat(spec.origin()).isEqualTo("torchvision.models.resnet50");
        assertThat(ModelRegistry.get("tiny_resnet").origin()).isNull();
    }

    @Test
    void unknownArchitectureListsTheKnownOnes() {
        assertThatThrownBy(() -> ModelRegistry.get("vgg16"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("unknown architecture 'vgg16'")
                .hasMessageContaining("resnet18, resnet34");
    }
}
