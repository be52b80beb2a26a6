package dev.imet.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelRegistry;
import dev.imet.model.Precision;
import org.junit.jupiter.api.Test;

/** What auto measures: only the choices left open, each named with its time in the reason. */
class ExecutionChooserTest {
    @Test
    void bothGivenMeasuresNothing() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, ExecutionChooser.Workload.TRAINING);
        assertThat(e.precision()).isEqualTo(Precision.FP32);
        assertThat(e.memoryFormat()).isEqualTo(MemoryFormat.CONTIGUOUS);
        assertThat(e.chosen()).isEqualTo("precision given; memory format given");
    }

    @Test
    void autoFormatMeasuresEachFormatAtTheGivenPrecision() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, null),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, ExecutionChooser.Workload.INFERENCE);
        assertThat(e.precision()).isEqualTo(Precision.FP32);
        assertThat(e.chosen()).startsWith("precision given; memory format auto; measured fp32 channels-last ")
                .contains(", fp32 contiguous ").endsWith(" s per inference step").doesNotContain("bf16");
    }
}
