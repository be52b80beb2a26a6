package dev.imet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), one learning rate per parameter group, and global
 * gradient-norm clipping. The update itself is PyTorch's fused AdamW kernel ({@link FusedAdamW}: one native call
 * per group of tensors).
 * Weight decay applies to conv and linear weights only, not to biases and batch-norm parameters. Each tensor
 * counts its own steps, as PyTorch's Adam does, so layers unfrozen in stage 2 start with fresh bias correction.
 */
public final class AdamW {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    /** The optimiser's state for one trainable tensor. */
    public static final class Slot {
        final String name;
        final Parameter parameter;
        final int group;
        final boolean decays;
        NDArray mean;
        NDArray variance;
        long steps;

        Slot(String name, Parameter parameter, int group) {
            this.name = name;
            this.parameter = parameter;
            this.group = group;
            this.decays = parameter.getArray().getShape().dimension() >= 2;
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final NDManager stateManager;
    private final double weightDecay;
    private FusedAdamW kernel;
    private Gradients gradients;

    /** The optimiser of a ResNet-family network, its parameters in the {@link ParamGroups} their names give. */
    public static AdamW forNetwork(Map<String, Parameter> parameters, double weightDecay, NDManager stateManager) {
        return new AdamW(parameters, ParamGroups.of(parameters.keySet()), weightDecay, stateManager);
    }

    /** @param parameters the network's parameters by PyTorch name; only those of type weight/bias/gamma/beta train */
    public AdamW(Map<String, Parameter> parameters, Map<String, Integer> groups, double weightDecay, NDManager stateManager) {
        this.weightDecay = weightDecay;
        this.stateManager = stateManager;
        parameters.forEach((name, p) -> {
            if (isTrainable(p)) {
                slots.put(name, new Slot(name, p, groups.get(name)));
            }
        });
    }

    static boolean isTrainable(Parameter p) {
        return p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;
    }

    public List<Slot> slots() {
        return new ArrayList<>(slots.values());
    }

    /**
     * One update of every tensor that requires a gradient, from the gradients of {@code loss} (taken here, as new
     * tensors: {@link Gradients}), after clipping their global L2 norm to {@code clipNorm} (0: no clipping, and no
     * norm computed). Temporaries live in {@code step}, the batch's manager.
     *
     * @param loss a scalar whose graph was recorded (inside a gradient collector); the graph is freed
     * @return the gradients' global norm before clipping, NaN when {@code clipNorm} is 0
     */
    public double step(NDArray loss, double[] groupLrs, double clipNorm, NDManager step) {
        List<Slot> active = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (!s.parameter.requiresGradient()) {
                continue;
            }
            NDArray w = s.parameter.getArray();
            if (s.mean == null) {
                s.mean = stateManager.zeros(w.getShape());
                s.variance = stateManager.zeros(w.getShape());
            }
            s.steps++;
            active.add(s);
            weights.add(w);
        }
        if (active.isEmpty()) {
            return clipNorm > 0 ? 0 : Double.NaN;
        }
        List<NDArray> gradients = gradients().of(loss, weights);
        double norm = clipNorm > 0 ? kernel().norm(gradients, step) : Double.NaN;
        double gradScale = clipScale(norm, clipNorm);
        // the tensors of one call of the kernel: one learning rate and one weight decay
        Map<Bucket, Members> buckets = new LinkedHashMap<>();
        for (int i = 0; i < active.size(); i++) {
            Slot s = active.get(i);
            Members m = buckets.computeIfAbsent(new Bucket(s.group, s.decays),
                    k -> new Members(new ArrayList<>(), new ArrayList<>()));
            m.slots().add(s);
            m.gradients().add(gradients.get(i));
        }
        buckets.forEach((bucket, m) -> kernel().update(m.slots(), m.gradients(), groupLrs[bucket.group()],
                bucket.decays() ? weightDecay : 0, gradScale, step));
        return norm;
    }

    private record Bucket(int group, boolean decays) {}

    /** The tensors of one bucket with their gradients, in the same order. */
    private record Members(List<Slot> slots, List<NDArray> gradients) {}

    private FusedAdamW kernel() {
        if (kernel == null) {
            kernel = new FusedAdamW((PtNDManager) stateManager, BETA1, BETA2, EPS);
        }
        return kernel;
    }

    private Gradients gradients() {
        if (gradients == null) {
            gradients = new Gradients((PtNDManager) stateManager);
        }
        return gradients;
    }

    /** Clipping factor for a gradient norm: 1 when within {@code maxNorm}, else maxNorm / norm. */
    public static double clipScale(double norm, double maxNorm) {
        if (maxNorm <= 0 || !(norm > maxNorm)) {
            return 1.0;
        }
        return maxNorm / (norm + 1e-6);
    }
}
