package dev.imet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of a {@link ResNetLayout} network as TorchScript source, generated from the layout: the one
 * forward implementation of every architecture, at either precision. The script is a module {@code Fwd} whose
 * {@code forward(x, p)} takes the input and the parameters as a list, {@code p[i]} being the parameter called
 * {@code parameterNames().get(i)} (PyTorch's state-dict names, the names {@link StateDict} gives the DJL blocks,
 * which only hold the parameters). Batch norm runs in training mode when the module is ({@code self.training}) and
 * then updates the running statistics in place on the arrays passed in.
 *
 * <p>At {@link Precision#BF16} the convolutions and the classifier cast their inputs, weights and biases to bfloat16
 * ({@code torch.to(t, 15)}; 15 is bfloat16 and 6 float32 in TorchScript's scalar-type numbers) and every other
 * operation runs in its input's type, as CPU autocast does; the casts are differentiable, so the gradients arrive in
 * float32 on the float32 weights. The logits go back to float32 for the loss.
 *
 * @param source         the module's TorchScript source ({@code code/__torch__.py} of a TorchScript archive)
 * @param parameterNames the state-dict name of each element of {@code p}, in order
 */
public record ForwardScript(String source, List<String> parameterNames) {
    /** The class's name in the archive: {@code __torch__.Fwd}. */
    public static final String CLASS_NAME = "Fwd";

    public ForwardScript {
        parameterNames = List.copyOf(parameterNames);
    }

    /** The forward pass of {@code layout} at {@code precision}. */
    public static ForwardScript of(ResNetLayout layout, Precision precision) {
        Writer w = new Writer(precision);
        w.line("x = " + w.conv("x", "conv1", 2, 3, 1, false));
        w.line("x = torch.relu_(" + w.batchNorm("x", "bn1") + ")");
        w.line("x = torch.max_pool2d(x, [3, 3], [2, 2], [1, 1], [1, 1], False)");
        int channels = layout.stemWidth();
        int[] blocks = layout.blocksPerStage();
        int[] planes = layout.stagePlanes();
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                int out = layout.outputChannels(planes[s]);
                String prefix = "layer" + (s + 1) + "." + b + ".";
                residualBlock(w, layout, prefix, planes[s], stride, stride != 1 || channels != out);
                channels = out;
            }
        }
        w.line("x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        w.line("x = torch.dropout(x, " + number(ResNet.HEAD_DROPOUT) + ", self.training)");
        String fcWeight = w.param(ResNet.CLASSIFIER + ".weight");
        String fcBias = w.param(ResNet.CLASSIFIER + ".bias");
        w.line("x = torch.linear(" + w.low("x") + ", " + w.low(fcWeight) + ", " + w.low(fcBias) + ")");
        w.line("return " + (precision == Precision.BF16 ? "torch.to(x, 6)" : "x"));
        return new ForwardScript(w.module(), w.names);
    }

    /**
     * torchvision's BasicBlock or Bottleneck (stride on the 3x3 conv, v1.5) with timm's SE module before the
     * residual addition; the addition and the ReLUs are in place, as torchvision's.
     */
    private static void residualBlock(Writer w, ResNetLayout layout, String prefix, int planes, int stride,
            boolean downsample) {
        if (layout.bottleneck()) {
            w.line("out = torch.relu_(" + w.batchNorm(w.conv("x", prefix + "conv1", 1, 0, 1, false), prefix + "bn1") + ")");
            w.line("out = torch.relu_(" + w.batchNorm(w.conv("out", prefix + "conv2", stride, 1, layout.groups(), false),
                    prefix + "bn2") + ")");
            w.line("out = " + w.batchNorm(w.conv("out", prefix + "conv3", 1, 0, 1, false), prefix + "bn3"));
        } else {
            w.line("out = torch.relu_(" + w.batchNorm(w.conv("x", prefix + "conv1", stride, 1, 1, false), prefix + "bn1") + ")");
            w.line("out = " + w.batchNorm(w.conv("out", prefix + "conv2", 1, 1, 1, false), prefix + "bn2"));
        }
        if (layout.squeezeExcitation()) {
            // sum, then divide the small result: the backward of mean divides the full-size gradient instead
            w.line("se = torch.div(torch.sum(out, [2, 3], True), torch.size(out, 2) * torch.size(out, 3))");
            w.line("se = torch.relu_(" + w.conv("se", prefix + "se.fc1", 1, 0, 1, true) + ")");
            w.line("out = torch.mul(out, torch.sigmoid(" + w.conv("se", prefix + "se.fc2", 1, 0, 1, true) + "))");
        }
        String identity = "x";
        if (downsample) {
            w.line("identity = " + w.batchNorm(w.conv("x", prefix + "downsample.0", stride, 0, 1, false),
                    prefix + "downsample.1"));
            identity = "identity";
        }
        w.line("x = torch.relu_(torch.add_(out, " + identity + "))");
    }

    /** A float as a plain decimal literal (0.00001, not Java's 1.0E-5), the float's shortest decimal form. */
    static String number(float value) {
        return new java.math.BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Collects the forward's lines and the parameters in the order they are first used. */
    private static final class Writer {
        final Precision precision;
        final List<String> names = new ArrayList<>();
        final StringBuilder body = new StringBuilder();

        Writer(Precision precision) {
            this.precision = precision;
        }

        String param(String name) {
            names.add(name);
            return "p[" + (names.size() - 1) + "]";
        }

        /** The expression cast to the precision of convolutions and matrix products. */
        String low(String expression) {
            return precision == Precision.BF16 ? "torch.to(" + expression + ", 15)" : expression;
        }

        String conv(String input, String name, int stride, int padding, int groups, boolean bias) {
            String weight = low(param(name + ".weight"));
            String biasTerm = bias ? low(param(name + ".bias")) : "None";
            return "torch.conv2d(" + low(input) + ", " + weight + ", " + biasTerm + ", [" + stride + ", " + stride
                    + "], [" + padding + ", " + padding + "], [1, 1], " + groups + ")";
        }

        /** In the input's type, with float32 weights and statistics (mixed types, as autocast leaves it). */
        String batchNorm(String input, String name) {
            String weight = param(name + ".weight");
            String bias = param(name + ".bias");
            String mean = param(name + ".running_mean");
            String var = param(name + ".running_var");
            return "torch.batch_norm(" + input + ", " + weight + ", " + bias + ", " + mean + ", " + var
                    + ", self.training, " + number(TorchBatchNorm.MOMENTUM) + ", " + number(TorchBatchNorm.EPSILON) + ", True)";
        }

        void line(String statement) {
            body.append("    ").append(statement).append('\n');
        }

        String module() {
            return "class " + CLASS_NAME + "(Module):\n"
                    + "  __parameters__ = []\n"
                    + "  __buffers__ = []\n"
                    + "  training : bool\n"
                    + "  _is_full_backward_hook : Optional[bool]\n"
                    + "  def forward(self: __torch__." + CLASS_NAME + ",\n"
                    + "    x: Tensor,\n"
                    + "    p: List[Tensor]) -> Tensor:\n"
                    + body;
        }
    }
}
