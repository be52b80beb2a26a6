package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelRegistry;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import org.junit.jupiter.api.Test;

/** What auto measures: only the choices left open, each named with its time in the reason. */
class ExecutionChooserTest {
    @Test
    void allGivenMeasuresNothing() {
        Execution e = ExecutionChooser.choose(
                new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS, SmallConvolutions.DIRECT),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, ExecutionChooser.Workload.TRAINING);
        assertThat(e.precision()).isEqualTo(Precision.FP32);
        assertThat(e.memoryFormat()).isEqualTo(MemoryFormat.CONTIGUOUS);
        assertThat(e.smallConvolutions()).isEqualTo(SmallConvolutions.DIRECT);
        assertThat(e.chosen()).isEqualTo("precision given; memory format given; small convolutions given");
    }

    @Test
    void autoFormatMeasuresEachFormatAtTheGivenPrecision() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, null, null),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, ExecutionChooser.Workload.INFERENCE);
        assertThat(e.precision()).isEqualTo(Precision.FP32);
        assertThat(e.smallConvolutions()).isEqualTo(SmallConvolutions.DIRECT);
        assertThat(e.chosen()).startsWith("precision given; memory format auto; small convolutions direct in"
                + " inference; measured fp32 channels-last ").contains(", fp32 contiguous ")
                .endsWith(" s per inference step").doesNotContain("bf16").doesNotContain("matmul");
    }

    /** At 32 px the last stage of tiny_resnet puts out 1 x 1: the unfolded convolutions are timed on the winner. */
    @Test
    void autoSmallConvolutionsAreMeasuredAgainstTheDirectOnesInTraining() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS, null),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, ExecutionChooser.Workload.TRAINING);
        assertThat(e.chosen()).matches("precision given; memory format given; small convolutions auto; measured"
                + " fp32 contiguous [0-9.]+ s, fp32 contiguous small convolutions as matmul [0-9.]+ s per training step");
    }

    /** At 128 px its last stage puts out 4 x 4, where nothing is unfolded: nothing to measure. */
    @Test
    void noSmallConvolutionsAtThisSizeMeasuresNothing() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS, null),
                ModelRegistry.get("tiny_resnet"), 5, 128, 2, ExecutionChooser.Workload.TRAINING);
        assertThat(e.smallConvolutions()).isEqualTo(SmallConvolutions.DIRECT);
        assertThat(e.chosen()).isEqualTo("precision given; memory format given; small convolutions none at 128 px");
    }
}
