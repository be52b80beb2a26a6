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
        assertThat(Execution.Request.parse("fp32", "auto", "matmul").smallConvolutions())
                .isEqualTo(SmallConvolutions.MATMUL);
        assertThat(Execution.Request.parse("fp32", "auto", "auto").smallConvolutionsLabel()).isEqualTo("auto");
        // a command that only predicts leaves them to auto, which runs them direct in inference
        assertThat(Execution.Request.parse("fp32", "auto").smallConvolutions()).isNull();
        assertThatThrownBy(() -> Execution.Request.parse("fp32", "auto", "im2col"))
                .hasMessage("--small-convolutions: auto, direct or matmul, not 'im2col'");
    }

    /** Only the last stage's ungrouped 3 x 3 convolutions, where they put out at most 2 x 2. */
    @Test
    void smallConvolutionsApplyWhereTheLastStageIsAtMostTwoByTwo() {
        ResNetLayout resnet18 = ModelRegistry.get("resnet18").layout();
        assertThat(SmallConvolutions.appliesTo(resnet18, 64)).isTrue(); // 2 x 2
        assertThat(SmallConvolutions.appliesTo(resnet18, 32)).isTrue(); // 1 x 1
        assertThat(SmallConvolutions.appliesTo(resnet18, 65)).isFalse(); // 3 x 3: PyTorch's rounding up to 65 px
        assertThat(SmallConvolutions.appliesTo(resnet18, 128)).isFalse(); // 4 x 4
        assertThat(SmallConvolutions.appliesTo(ModelRegistry.get("resnet50").layout(), 64)).isTrue();
        assertThat(SmallConvolutions.appliesTo(ModelRegistry.get("resnet50").layout(), 320)).isFalse();
        // ResNeXt's 3 x 3 convolutions are grouped: none is unfolded
        assertThat(SmallConvolutions.appliesTo(ModelRegistry.get("seresnext50_32x4d").layout(), 64)).isFalse();
    }
}
