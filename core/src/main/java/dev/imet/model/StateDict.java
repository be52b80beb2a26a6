package dev.imet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block's parameters under the names PyTorch gives them in {@code state_dict()}: child blocks contribute
 * their names (DJL's "01conv1" is "conv1"; the children of a SequentialBlock are "0", "1", ...), joined by dots,
 * and DJL's batch-norm parameters gamma, beta, runningMean, runningVar are weight, bias, running_mean,
 * running_var. PyTorch's batch-norm step counter {@code num_batches_tracked} is no DJL parameter: it is written
 * as 0 when saving and ignored when loading (it only matters for momentum=None, which these networks don't use).
 */
public final class StateDict {
    public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";
    private static final String RUNNING_VAR = "running_var";
    private static final Map<String, String> DJL_TO_TORCH = Map.of(
            "gamma", "weight", "beta", "bias", "runningMean", "running_mean", "runningVar", RUNNING_VAR);

    private StateDict() {}

    /** PyTorch name → parameter, in PyTorch's state-dict order (batch-norm running statistics included). */
    public static LinkedHashMap<String, Parameter> parameters(Block block) {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collect("", block, out);
        return out;
    }

    private static void collect(String prefix, Block block, LinkedHashMap<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String name = prefix + DJL_TO_TORCH.getOrDefault(p.getKey(), p.getKey());
            if (out.put(name, p.getValue()) != null) {
                throw new IllegalStateException("two parameters named " + name);
            }
        }
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String name = block instanceof SequentialBlock ? Integer.toString(index) : withoutOrderPrefix(child.getKey());
            collect(prefix + name + ".", child.getValue(), out);
            index++;
        }
    }

    /** DJL prefixes a child's name with its two-digit position ("01conv1"). */
    private static String withoutOrderPrefix(String childName) {
        int i = 0;
        while (i < childName.length() && Character.isDigit(childName.charAt(i))) {
            i++;
        }
        return childName.substring(i);
    }

    /**
     * What PyTorch's {@code sum(p.numel() for p in model.parameters())} counts: every parameter except the
     * batch-norm running statistics, which PyTorch keeps as buffers.
     */
    public static long parameterCount(Block initializedBlock) {
        long count = 0;
        for (Parameter p : parameters(initializedBlock).values()) {
            if (p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR) {
                count += p.getShape().size();
            }
        }
        return count;
    }

    /** True for the name of PyTorch's batch-norm step counter, which has no DJL parameter. */
    public static boolean isNumBatchesTracked(String name) {
        return name.equals(NUM_BATCHES_TRACKED) || name.endsWith("." + NUM_BATCHES_TRACKED);
    }

    /** The counter's name that belongs to a batch norm's running_var, or null if {@code name} is none. */
    static String numBatchesTrackedFor(String name) {
        return name.endsWith("." + RUNNING_VAR)
                ? name.substring(0, name.length() - RUNNING_VAR.length()) + NUM_BATCHES_TRACKED
                : null;
    }

    /**
     * A copy of the block's values as PyTorch's {@code state_dict()} holds them: float32 tensors under their
     * PyTorch names, each batch norm's {@code num_batches_tracked} (int64 scalar 0) after its running_var.
     */
    public static LinkedHashMap<String, TensorData> tensors(Block block) {
        LinkedHashMap<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters(block).entrySet()) {
            NDArray array = e.getValue().getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException(e.getKey() + " is " + array.getDataType() + ", expected float32");
            }
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(array.size() * 4)).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(array.toFloatArray());
            out.put(e.getKey(), new TensorData(DType.F32, array.getShape().getShape(), bytes));
            String counter = numBatchesTrackedFor(e.getKey());
            if (counter != null) {
                out.put(counter, TensorData.scalarLong(0));
            }
        }
        return out;
    }

    /** Overwrites a parameter's values (same element count) without replacing its array. */
    /**
     * Overwrites a parameter's values in place (its shape's worth, row-major). Done as an indexed copy with
     * autograd off: the engine's plain buffer copy goes through a deprecated dispatch mode and prints a native
     * warning on every load.
     */
    public static void setValues(Parameter parameter, float[] values) {
        NDArray array = parameter.getArray();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = array.getManager().newSubManager()) {
            array.set(ALL, scope.create(values, array.getShape()));
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    private static final NDIndex ALL = new NDIndex("...");
}
