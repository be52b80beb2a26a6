package dev.imet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of a {@link ResNetLayout} network as TorchScript source, generated from the layout: the one
 * forward implementation of every architecture, at either precision. The script is a module {@code Fwd} with two
 * entry points over the same arguments: the input and the parameters as a list, {@code p[i]} being the parameter
 * called {@code parameterNames().get(i)} (PyTorch's state-dict names, the names {@link StateDict} gives the DJL
 * blocks, which only hold the parameters).
 * <ul>
 *   <li>{@code forward(x, p)}: batch norm as its own operation, in training mode when the module is
 *       ({@code self.training}), then updating the running statistics in place on the arrays passed in. Training
 *       runs this.</li>
 *   <li>{@code infer(x, p)}: evaluation only, each batch norm folded into the convolution before it (the weight
 *       scaled by {@code gamma / sqrt(var + eps)} per output channel, the shift as the convolution's bias), folded
 *       afresh at every call from the arrays passed in, so it always runs the current weights. One pass over the
 *       activations fewer per convolution: what {@code torch.jit.freeze} does for a frozen model, and what eager
 *       PyTorch (the Python original) does not.</li>
 * </ul>
 * With {@link SmallConvolutions#MATMUL}, {@code forward} sends its 3x3 convolutions through {@code conv_small}, which
 * unfolds those putting out at most {@link SmallConvolutions#MAX_POSITIONS} positions into one matrix product and
 * runs the others direct; {@code infer} is the same either way.
 *
 * <p>At {@link Precision#BF16} the convolutions and the classifier cast their inputs, weights and biases to bfloat16
 * ({@code torch.to(t, 15)}; 15 is bfloat16 and 6 float32 in TorchScript's scalar-type numbers) and every other
 * operation runs in its input's type, as CPU autocast does; the casts are differentiable, so the gradients arrive in
 * float32 on the float32 weights. A convolution's weight is cast into the input's memory format (channels-last when
 * the batch is), as PyTorch's autocast gets it from a model converted to channels-last; cast as it lies, the
 * convolution would reorder it at every call (measured 9 % slower training for resnet50 at 320 px). The logits go
 * back to float32 for the loss.
 *
 * @param source         the module's TorchScript source ({@code code/__torch__.py} of a TorchScript archive)
 * @param parameterNames the state-dict name of each element of {@code p}, in order
 */
public record ForwardScript(String source, List<String> parameterNames) {
    /** The class's name in the archive: {@code __torch__.Fwd}. */
    public static final String CLASS_NAME = "Fwd";
    /** The evaluation entry point, batch norm folded into the convolutions. */
    public static final String INFER = "infer";

    public ForwardScript {
        parameterNames = List.copyOf(parameterNames);
    }

    /** The forward pass of {@code layout} at {@code precision}, every convolution direct. */
    public static ForwardScript of(ResNetLayout layout, Precision precision) {
        return of(layout, precision, SmallConvolutions.DIRECT);
    }

    /**
     * The forward pass of {@code layout} at {@code precision}; {@code smallConvolutions} says how {@code forward}
     * runs the convolutions that {@link SmallConvolutions} describes ({@code infer} runs them direct).
     */
    public static ForwardScript of(ResNetLayout layout, Precision precision, SmallConvolutions smallConvolutions) {
        Writer training = new Writer(precision, false, smallConvolutions == SmallConvolutions.MATMUL);
        body(training, layout);
        Writer folded = new Writer(precision, true, false);
        body(folded, layout);
        if (!training.names.equals(folded.names)) {
            throw new IllegalStateException("the two entry points take the parameters in different orders");
        }
        return new ForwardScript(module(precision, training.unfoldSmall, training.body, folded.body), training.names);
    }

    private static void body(Writer w, ResNetLayout layout) {
        // The stem runs in channels-last whatever the batch's layout, and the rest in the batch's: PyTorch's max
        // pooling of a contiguous batch is not vectorised over channels (resnet18 at 64 px: 8-12 ms, against under
        // 1 ms channels-last). Converting only around the pooling would send its gradient back channels-last into a
        // contiguous stem, which then converts every tensor of its backward pass.
        w.line("x = torch.contiguous(x, memory_format=2)");
        w.line("x = torch.relu_(" + w.convBn("x", "conv1", "bn1", 2, 3, 1, 7) + ")");
        w.line("x = torch.contiguous(torch.max_pool2d(x, [3, 3], [2, 2], [1, 1], [1, 1], False), memory_format=fmt)");
        int channels = layout.stemWidth();
        int[] blocks = layout.blocksPerStage();
        int[] planes = layout.stagePlanes();
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                int out = layout.outputChannels(planes[s]);
                String prefix = "layer" + (s + 1) + "." + b + ".";
                residualBlock(w, layout, prefix, stride, stride != 1 || channels != out);
                channels = out;
            }
        }
        w.line("x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        if (!w.folded) {
            w.line("x = torch.dropout(x, " + number(ResNet.HEAD_DROPOUT) + ", self.training)");
        }
        String fcWeight = w.param(ResNet.CLASSIFIER + ".weight");
        String fcBias = w.param(ResNet.CLASSIFIER + ".bias");
        w.line("x = torch.linear(" + w.low("x") + ", " + w.low(fcWeight) + ", " + w.low(fcBias) + ")");
        w.line("return " + (w.precision == Precision.BF16 ? "torch.to(x, 6)" : "x"));
    }

    /**
     * torchvision's BasicBlock or Bottleneck (stride on the 3x3 conv, v1.5) with timm's SE module before the
     * residual addition; the addition and the ReLUs are in place, as torchvision's.
     */
    private static void residualBlock(Writer w, ResNetLayout layout, String prefix, int stride, boolean downsample) {
        if (layout.bottleneck()) {
            w.line("out = torch.relu_(" + w.convBn("x", prefix + "conv1", prefix + "bn1", 1, 0, 1, 1) + ")");
            w.line("out = torch.relu_("
                    + w.convBn("out", prefix + "conv2", prefix + "bn2", stride, 1, layout.groups(), 3) + ")");
            w.line("out = " + w.convBn("out", prefix + "conv3", prefix + "bn3", 1, 0, 1, 1));
        } else {
            w.line("out = torch.relu_(" + w.convBn("x", prefix + "conv1", prefix + "bn1", stride, 1, 1, 3) + ")");
            w.line("out = " + w.convBn("out", prefix + "conv2", prefix + "bn2", 1, 1, 1, 3));
        }
        if (layout.squeezeExcitation()) {
            // sum, then divide the small result: the backward of mean divides the full-size gradient instead
            w.line("se = torch.div(torch.sum(out, [2, 3], True), torch.size(out, 2) * torch.size(out, 3))");
            w.line("se = torch.relu_(" + w.conv("se", prefix + "se.fc1", 1, 0, 1, true) + ")");
            w.line("out = torch.mul(out, torch.sigmoid(" + w.conv("se", prefix + "se.fc2", 1, 0, 1, true) + "))");
        }
        String identity = "x";
        if (downsample) {
            w.line("identity = " + w.convBn("x", prefix + "downsample.0", prefix + "downsample.1", stride, 0, 1, 1));
            identity = "identity";
        }
        w.line("x = torch.relu_(torch.add_(out, " + identity + "))");
    }

    private static String module(Precision precision, boolean unfoldSmall, CharSequence forward, CharSequence infer) {
        // the batch's memory format: 2 channels-last, 0 contiguous
        String memoryFormat = "    fmt = 0\n    if torch.is_contiguous(x, 2):\n      fmt = 2\n";
        return "class " + CLASS_NAME + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  _is_full_backward_hook : Optional[bool]\n"
                + "  def forward(self: __torch__." + CLASS_NAME + ",\n"
                + "    x: Tensor,\n"
                + "    p: List[Tensor]) -> Tensor:\n"
                + memoryFormat
                + forward
                + "  def " + INFER + "(self: __torch__." + CLASS_NAME + ",\n"
                + "    x: Tensor,\n"
                + "    p: List[Tensor]) -> Tensor:\n"
                + memoryFormat
                + infer
                + "  def fold(self: __torch__." + CLASS_NAME + ",\n"
                + "    weight: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, var: Tensor) -> Tuple[Tensor, Tensor]:\n"
                + "    scale = torch.mul(gamma, torch.rsqrt(torch.add(var, " + number(TorchBatchNorm.EPSILON) + ")))\n"
                + "    return (torch.mul(weight, torch.reshape(scale, [-1, 1, 1, 1])),"
                + " torch.sub(beta, torch.mul(mean, scale)))\n"
                + (unfoldSmall ? unfolded(precision) : "");
    }

    /**
     * {@code conv_small(x, w, stride, pad, fmt)}: a bias-free, ungrouped square convolution, unfolded into one
     * matrix product where its output has at most {@link SmallConvolutions#MAX_POSITIONS} positions and direct
     * elsewhere. The columns are the k x k shifted windows of the padded input, taken as strided views of its
     * channels-last order and stacked, which copies at memory speed (the engine's {@code im2col} and its backward
     * took 17 ms of a 145 ms resnet18 step at 64 px, bf16). The product's rows are (image, position) and its
     * columns the output channels, which is the channels-last layout of the output: the result is a view, made
     * contiguous only for a contiguous run (a few hundred kilobytes at these sizes).
     */
    private static String unfolded(Precision precision) {
        boolean bf16 = precision == Precision.BF16;
        String input = bf16 ? "torch.to(x, 15)" : "x";
        return "  def conv_small(self: __torch__." + CLASS_NAME + ",\n"
                + "    x: Tensor, w: Tensor, stride: int, pad: int, fmt: int) -> Tensor:\n"
                + "    k = torch.size(w, 2)\n"
                + "    ho = torch.floordiv(torch.size(x, 2) + 2 * pad - k, stride) + 1\n"
                + "    wo = torch.floordiv(torch.size(x, 3) + 2 * pad - k, stride) + 1\n"
                + "    if ho * wo > " + SmallConvolutions.MAX_POSITIONS + ":\n"
                + "      return torch.conv2d(" + input + ", " + (bf16 ? "torch.to(w, 15, False, False, fmt)" : "w")
                + ", None, [stride, stride], [pad, pad], [1, 1], 1)\n"
                + "    o = torch.size(w, 0)\n"
                + "    padded = torch.constant_pad_nd(torch.permute(" + input + ", [0, 2, 3, 1]), [0, 0, pad, pad, pad, pad])\n"
                + "    windows = annotate(List[Tensor], [])\n"
                + "    for i in range(k):\n"
                + "      rows = torch.slice(padded, 1, i, i + stride * (ho - 1) + 1, stride)\n"
                + "      for j in range(k):\n"
                + "        windows.append(torch.slice(rows, 2, j, j + stride * (wo - 1) + 1, stride))\n"
                + "    cols = torch.reshape(torch.stack(windows, 4), [torch.size(x, 0) * ho * wo, -1])\n"
                + "    out = torch.mm(cols, torch.t(torch.reshape(" + (bf16 ? "torch.to(w, 15)" : "w") + ", [o, -1])))\n"
                + "    y = torch.permute(torch.reshape(out, [torch.size(x, 0), ho, wo, o]), [0, 3, 1, 2])\n"
                + "    return torch.contiguous(y, memory_format=fmt)\n";
    }

    /** A float as a plain decimal literal (0.00001, not Java's 1.0E-5), the float's shortest decimal form. */
    static String number(float value) {
        return new java.math.BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Collects one entry point's lines and the parameters in the order they are first used. */
    private static final class Writer {
        final Precision precision;
        final boolean folded;
        /** Whether the small convolutions go through {@code conv_small}. */
        final boolean unfoldSmall;
        final List<String> names = new ArrayList<>();
        final StringBuilder body = new StringBuilder();

        Writer(Precision precision, boolean folded, boolean unfoldSmall) {
            this.precision = precision;
            this.folded = folded;
            this.unfoldSmall = unfoldSmall;
        }

        String param(String name) {
            names.add(name);
            return "p[" + (names.size() - 1) + "]";
        }

        /** The expression cast to the precision of convolutions and matrix products. */
        String low(String expression) {
            return precision == Precision.BF16 ? "torch.to(" + expression + ", 15)" : expression;
        }

        /** A convolution's weight cast to bfloat16 in the input's memory format ({@code fmt}). */
        String lowWeight(String expression) {
            return precision == Precision.BF16 ? "torch.to(" + expression + ", 15, False, False, fmt)" : expression;
        }

        /** A bias-free convolution and the batch norm after it; folded into one convolution in {@code infer}. */
        String convBn(String input, String conv, String bn, int stride, int padding, int groups, int kernel) {
            if (!folded) {
                String convolution = unfoldSmall && kernel > 1 && groups == 1
                        ? "self.conv_small(" + input + ", " + param(conv + ".weight") + ", " + stride + ", " + padding
                                + ", fmt)"
                        : conv(input, conv, stride, padding, groups, false);
                return batchNorm(convolution, bn);
            }
            String weight = param(conv + ".weight");
            String variable = "f" + names.size(); // fNw, fNb: N counts the parameters so far, unique per convolution
            line(variable + "w, " + variable + "b = self.fold(" + weight + ", " + param(bn + ".weight") + ", "
                    + param(bn + ".bias") + ", " + param(bn + ".running_mean") + ", " + param(bn + ".running_var") + ")");
            return convolution(input, variable + "w", variable + "b", stride, padding, groups);
        }

        /** A convolution of the network's {@code name}.weight, with or without {@code name}.bias. */
        String conv(String input, String name, int stride, int padding, int groups, boolean bias) {
            String weight = param(name + ".weight");
            return convolution(input, weight, bias ? param(name + ".bias") : null, stride, padding, groups);
        }

        private String convolution(String input, String weight, String bias, int stride, int padding, int groups) {
            return "torch.conv2d(" + low(input) + ", " + lowWeight(weight) + ", " + (bias == null ? "None" : low(bias))
                    + ", [" + stride + ", " + stride + "], [" + padding + ", " + padding + "], [1, 1], " + groups + ")";
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
    }
}
