package dev.imet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.imet.model.TorchScriptArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The gradients of a loss with respect to the tensors that train, as new tensors ({@code torch.autograd.grad}, from
 * a one-method TorchScript module written like the forward pass). DJL's backward accumulates them into each tensor's
 * {@code .grad} instead, which costs an addition over every parameter per step and a zeroing after each update;
 * PyTorch's optimisers avoid both with {@code zero_grad(set_to_none=True)}, which DJL cannot express. A tensor the
 * loss does not depend on gets zeros, as DJL's {@code getGradient} gives it. Each gradient comes back contiguous,
 * the layout of DJL's parameters: a convolution fed channels-last returns its weight's gradient channels-last, and
 * PyTorch's CPU fused AdamW walks weight and gradient as flat memory (it makes a contiguous copy of the gradient
 * and then reads the original), so a 3x3 kernel's update would land on the wrong elements. (PyTorch's own
 * AccumulateGrad makes the same copy when a gradient's layout differs from its parameter's.)
 */
final class Gradients {
    private static final String CLASS_NAME = "Gradients";
    /** DJL packs the arrays named NAME[] into one list argument. */
    private static final String LIST_ARGUMENT = "p[]";

    private final PtSymbolBlock module;

    Gradients(PtNDManager manager) {
        String source = "class " + CLASS_NAME + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  _is_full_backward_hook : Optional[bool]\n"
                + "  def forward(self: __torch__." + CLASS_NAME + ",\n"
                + "    loss: Tensor, p: List[Tensor]) -> List[Tensor]:\n"
                + "    found = torch.autograd.grad([loss], p, None, False, False, True)\n"
                + "    out = annotate(List[Tensor], [])\n"
                + "    for i in range(torch.len(found)):\n"
                + "      g = found[i]\n"
                + "      if torch.__is__(g, None):\n"
                + "        out.append(torch.zeros_like(p[i]))\n"
                + "      else:\n"
                + "        out.append(torch.contiguous(unchecked_cast(Tensor, g)))\n"
                + "    return out\n";
        byte[] archive = TorchScriptArchive.of(CLASS_NAME, source);
        try {
            module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // read from memory
        }
    }

    /**
     * The gradient of {@code loss} with respect to each of {@code tensors} (each requiring a gradient), in the
     * loss's manager; the loss's graph is freed.
     */
    List<NDArray> of(NDArray loss, List<NDArray> tensors) {
        NDList inputs = new NDList(tensors.size() + 1);
        inputs.add(loss);
        for (NDArray t : tensors) {
            t.setName(LIST_ARGUMENT);
            inputs.add(t);
        }
        // isTrain: run in the caller's grad mode, not under the inference-mode guard of DJL's other calls
        return IValueUtils.forward(module, inputs, true);
    }
}
