package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelRegistry;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import org.junit.jupiter.api.Test;

/**
 * What auto measures for inference: each memory format left open, named with its time in the reason (for
 * training, with the real optimiser step: TrainStepWorkloadTest).
 */
class ExecutionChooserTest {
    @Test
    void autoFormatMeasuresEachFormatAtTheGivenPrecision() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, null, null),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, ExecutionChooser.INFERENCE);
        assertThat(e.precision()).isEqualTo(Precision.FP32);
        assertThat(e.smallConvolutions()).isEqualTo(SmallConvolutions.DIRECT);
        assertThat(e.chosen()).startsWith("precision given; memory format auto; small convolutions direct in"
                + " inference; measured fp32 channels-last ").contains(", fp32 contiguous ")
                .endsWith(" s per inference step").doesNotContain("bf16").doesNotContain("matmul");
    }
}
