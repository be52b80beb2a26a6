package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated forward: one script per layout and precision, on exactly the network's parameters. */
class ForwardScriptTest {
    private static final Pattern CONV_OR_LINEAR = Pattern.compile("torch\\.(conv2d|linear)\\(([^\\n]*)");

    static List<String> archs() {
        return ModelRegistry.names();
    }

    /** Every parameter of the DJL network, running statistics included, exactly once. */
    @ParameterizedTest
    @MethodSource("archs")
    void usesEveryParameterOfTheNetworkOnce(String arch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            var parameters = StateDict.parameters(ModelRegistry.get(arch).buildInitialized(5, 32, manager));
            for (Precision precision : Precision.values()) {
                List<String> names = ForwardScript.of(ModelRegistry.get(arch).layout(), precision).parameterNames();
                assertThat(names).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(parameters.keySet());
            }
        }
    }

    @Test
    void fp32HasNoCasts() {
        String source = ForwardScript.of(ModelRegistry.get("seresnext50_32x4d").layout(), Precision.FP32).source();
        assertThat(source).doesNotContain("torch.to(").contains("    return x\n");
    }

    /**
     * As CPU autocast: convolutions and the classifier take bfloat16 input, weights and biases (a convolution's
     * weight in the input's memory format); batch norm, ReLU, pooling, the SE gate and the addition get no cast (they
     * run in their input's type); the logits leave as float32. The same in both entry points.
     */
    @Test
    void bf16CastsOnlyWhatAutocastCasts() {
        String source = ForwardScript.of(ModelRegistry.get("seresnext50_32x4d").layout(), Precision.BF16).source();
        for (String entry : entryPoints(source)) {
            assertThat(entry).endsWith("    return torch.to(x, 6)\n");
            Matcher m = CONV_OR_LINEAR.matcher(entry);
            int casts = 0;
            int lowOps = 0;
            while (m.find()) {
                lowOps++;
                String args = m.group(2);
                assertThat(args).startsWith("torch.to(");
                casts += count(args, "torch.to(");
            }
            // resnet50-shaped: 53 convolutions, 16 SE modules of two biased 1x1 convolutions, the classifier
            assertThat(lowOps).isEqualTo(53 + 32 + 1);
            assertThat(count(entry, ", 15, False, False, fmt)")).isEqualTo(53 + 32);
            assertThat(count(entry, "torch.to(")).isEqualTo(casts + 1);
            assertThat(entry).doesNotContain("batch_norm(torch.to(");
        }
        List<String> entries = entryPoints(source);
        // forward: 53 convolutions without bias (input and weight), the SE's and the classifier's with (three each)
        assertThat(count(entries.get(0), "torch.to(")).isEqualTo(2 * 53 + 3 * 32 + 3 + 1);
        assertThat(entries.get(0)).contains("torch.batch_norm(torch.conv2d(torch.to(");
        // infer: batch norm folded, so every convolution has a bias
        assertThat(count(entries.get(1), "torch.to(")).isEqualTo(3 * 53 + 3 * 32 + 3 + 1);
        assertThat(entries.get(1)).doesNotContain("batch_norm");
    }

    /** The bodies of forward and infer, in that order. */
    private static List<String> entryPoints(String source) {
        int forward = source.indexOf("  def forward(");
        int infer = source.indexOf("  def infer(");
        int fold = source.indexOf("  def fold(");
        assertThat(forward).isLessThan(infer).isLessThan(fold);
        return List.of(source.substring(forward, infer), source.substring(infer, fold));
    }

    /** Unfolding reaches only training's 3 x 3 convolutions; inference and the stem stay direct. */
    @Test
    void smallConvolutionsAreUnfoldedInTrainingOnly() {
        ResNetLayout layout = ModelRegistry.get("resnet18").layout();
        assertThat(ForwardScript.of(layout, Precision.FP32).source()).doesNotContain("conv_small")
                .doesNotContain("torch.stack(windows");
        String source = ForwardScript.of(layout, Precision.FP32, SmallConvolutions.MATMUL).source();
        List<String> entries = entryPoints(source);
        // the 7 x 7 stem (which conv_small runs direct at any input size: its output is large) and 8 basic blocks of
        // two 3 x 3 convolutions; the three 1 x 1 downsampling convolutions stay direct
        assertThat(count(entries.get(0), "self.conv_small(")).isEqualTo(1 + 16);
        assertThat(count(entries.get(0), "torch.conv2d(")).isEqualTo(3);
        assertThat(entries.get(1)).doesNotContain("conv_small");
        assertThat(source).contains("torch.stack(windows, 4)").contains("    if ho * wo > 4:\n");
    }

    @Test
    void batchNormUsesPyTorchMomentumAndEpsilonInTheModulesMode() {
        String source = ForwardScript.of(ModelRegistry.get("resnet18").layout(), Precision.FP32).source();
        assertThat(source).contains(", self.training, 0.1, 0.00001, True)")
                .contains("torch.dropout(x, 0.25, self.training)");
    }

    @Test
    void numbersArePlainDecimals() {
        assertThat(ForwardScript.number(1e-5f)).isEqualTo("0.00001");
        assertThat(ForwardScript.number(0.25f)).isEqualTo("0.25");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
