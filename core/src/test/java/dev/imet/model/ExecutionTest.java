package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure part of choosing how a network runs: the options' words and auto's precision rule. */
class ExecutionTest {
    private static final String CPUINFO = "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
            + "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 fsrm\nbugs\t\t: sysret_ss_attrs\n\n"
            + "processor\t: 1\nflags\t\t: fpu\n";

    @Test
    void readsTheFirstProcessorsFlags() {
        assertThat(Execution.cpuFlags(CPUINFO)).containsExactlyInAnyOrder("fpu", "sse2", "avx2", "avx512f", "avx512_bf16",
                "fsrm");
        assertThat(Execution.cpuFlags("no flags here\n")).isEmpty();
    }

    @Test
    void autoIsBf16OnlyWhereTheHardwareHasIt() {
        assertThat(Execution.autoPrecision(Set.of("avx2", "avx512_bf16"), false).precision()).isEqualTo(Precision.BF16);
        assertThat(Execution.autoPrecision(Set.of("amx_bf16"), false).reason()).contains("amx_bf16");
        assertThat(Execution.autoPrecision(Set.of("avx2", "avx512f"), false).precision()).isEqualTo(Precision.FP32);
        assertThat(Execution.autoPrecision(Set.of(), true).precision()).isEqualTo(Precision.BF16);
    }

    @Test
    void parsesTheOptionsWithAutoAsNull() {
        Execution.Request request = Execution.Request.parse("auto", "contiguous");
        assertThat(request.precision()).isNull();
        assertThat(request.memoryFormat()).isEqualTo(MemoryFormat.CONTIGUOUS);
        assertThat(request.precisionLabel()).isEqualTo("auto");
        assertThat(Execution.Request.parse("bf16", "auto").memoryFormatLabel()).isEqualTo("auto");
        assertThatThrownBy(() -> Execution.Request.parse("fp16", "auto"))
                .hasMessage("--precision: auto, fp32 or bf16, not 'fp16'");
        assertThatThrownBy(() -> Execution.Request.parse("fp32", "nhwc"))
                .hasMessage("--memory-format: auto, channels-last or contiguous, not 'nhwc'");
    }
}
