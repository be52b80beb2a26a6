package dev.imet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.imet.model.TorchScriptArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * PyTorch's fused AdamW kernel ({@code torch._fused_adamw_}, what {@code torch.optim.AdamW(fused=True)} runs):
 * one pass over each tensor's weight, gradient and moments, vectorised, for a whole list of tensors in one native
 * call, instead of the eight or so whole-tensor operations (and temporaries) of DJL's per-tensor Adam. DJL has no
 * binding for it, so it runs from a one-line TorchScript module, written without Python like the forward pass.
 * The formula is PyTorch's AdamW: {@code w *= 1 - lr * wd; m = lerp(m, g, 1 - beta1); v = beta2 v + (1 - beta2) g^2;
 * w -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}.
 */
final class FusedAdamW {
    private static final String CLASS_NAME = "AdamW";

    private final PtSymbolBlock module;

    FusedAdamW(PtNDManager manager, float beta1, float beta2, float eps) {
        String source = "class " + CLASS_NAME + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  _is_full_backward_hook : Optional[bool]\n"
                + "  def forward(self: __torch__." + CLASS_NAME + ",\n"
                + "    w: List[Tensor], g: List[Tensor], m: List[Tensor], v: List[Tensor], steps: Tensor,\n"
                + "    lr: float, weight_decay: float, grad_scale: float) -> int:\n"
                + "    if grad_scale != 1.0:\n"
                + "      torch._foreach_mul_(g, grad_scale)\n"
                + "    torch._fused_adamw_(w, g, m, v, [], torch.unbind(steps), lr=lr, beta1=" + beta1
                + ", beta2=" + beta2 + ", weight_decay=weight_decay, eps=" + eps
                + ", amsgrad=False, maximize=False, grad_scale=None, found_inf=None)\n"
                + "    return 0\n"
                + "  def norm(self: __torch__." + CLASS_NAME + ", g: List[Tensor]) -> Tensor:\n"
                + "    return torch.linalg_vector_norm(torch.stack(torch._foreach_norm(g, 2)), 2)\n";
        byte[] archive = TorchScriptArchive.of(CLASS_NAME, source);
        try {
            module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // read from memory
        }
    }

    /**
     * The global L2 norm of {@code gradients}, in one native call (per-tensor norms, then the norm of those),
     * as {@code torch.nn.utils.clip_grad_norm_} computes it.
     */
    double norm(List<NDArray> gradients, NDManager step) {
        IValue[] arguments = {IValue.listFrom(gradients.toArray(PtNDArray[]::new))};
        try (IValue result = IValueUtils.runMethod(module, "norm", arguments)) {
            NDArray norm = result.toTensor((PtNDManager) step);
            return norm.getFloat();
        } finally {
            arguments[0].close();
        }
    }

    /**
     * One update of {@code slots} with their {@code gradients}, the slots' step counts already advanced, at one
     * learning rate and weight decay; the gradients are scaled by {@code gradScale} first (in place: they are
     * the step's own). Temporaries live in {@code step}.
     */
    void update(List<AdamW.Slot> slots, List<NDArray> gradients, double lr, double weightDecay, double gradScale,
            NDManager step) {
        int n = slots.size();
        PtNDArray[] weights = new PtNDArray[n];
        PtNDArray[] means = new PtNDArray[n];
        PtNDArray[] variances = new PtNDArray[n];
        float[] steps = new float[n];
        for (int i = 0; i < n; i++) {
            AdamW.Slot s = slots.get(i);
            weights[i] = (PtNDArray) s.parameter.getArray();
            means[i] = (PtNDArray) s.mean;
            variances[i] = (PtNDArray) s.variance;
            steps[i] = s.steps;
        }
        PtNDArray stepCounts = (PtNDArray) step.create(steps);
        IValue[] arguments = {IValue.listFrom(weights), IValue.listFrom(gradients.toArray(PtNDArray[]::new)),
            IValue.listFrom(means), IValue.listFrom(variances), IValue.from(stepCounts), IValue.from(lr),
            IValue.from(weightDecay), IValue.from(gradScale)};
        try {
            IValueUtils.runMethod(module, "forward", arguments).close();
        } finally {
            for (IValue argument : arguments) {
                argument.close();
            }
        }
    }
}
