package dev.imet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import dev.imet.model.StateDict;
import java.util.Map;

/**
 * The exponential moving average of the weights, as timm's {@code ModelEmaV2} keeps it: after every optimiser step
 * each tensor of a second network, parameters and batch-norm running statistics alike, becomes
 * {@code decay * average + (1 - decay) * weight}. With warm-up the decay of step t (1 for the first) is
 * {@code min(decay, (1 + t) / (10 + t))} (TensorFlow's {@code ExponentialMovingAverage} with {@code num_updates}),
 * so that the average forgets the initial weights within a short run; without it, a decay of 0.999 still holds
 * 0.999^1000 = 37 % of them after 1,000 steps. The average is a function of the steps alone, so a resumed run that
 * restores it from the checkpoint continues it exactly.
 */
public final class WeightAverage implements TrainingListener {
    private final Map<String, Parameter> weights;
    private final Map<String, Parameter> averaged;
    private final double decay;
    private final boolean warmup;

    /**
     * @param weights the network as trained, by PyTorch name
     * @param averaged the averaging network's tensors, by the same names; never trained
     */
    public WeightAverage(Map<String, Parameter> weights, Map<String, Parameter> averaged, double decay,
            boolean warmup) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("the decay of a moving average must be in (0, 1), got " + decay);
        }
        if (!weights.keySet().equals(averaged.keySet())) {
            throw new IllegalArgumentException("the averaging network's tensors are not the trained network's");
        }
        this.weights = weights;
        this.averaged = averaged;
        this.decay = decay;
        this.warmup = warmup;
        averaged.values().forEach(p -> p.freeze(true));
    }

    /** The decay of the update after optimiser step {@code step} (1 for the first). */
    static double decayAt(double decay, boolean warmup, long step) {
        return warmup ? Math.min(decay, (1.0 + step) / (10.0 + step)) : decay;
    }

    /** The averaging network's tensors, what the checkpoint keeps. */
    public Map<String, Parameter> averaged() {
        return averaged;
    }

    /** Starts the average at the current weights, as timm's copy of the model does (a new run). */
    public void reset() {
        weights.forEach((name, p) -> StateDict.setValues(averaged.get(name), p.getArray().toFloatArray()));
    }

    @Override
    public void onStep(TrainingContext run, StepMetrics step) {
        update(decayAt(decay, warmup, step.step()));
    }

    /** average = decay * average + (1 - decay) * weight, in place, as (average - weight) * decay + weight. */
    void update(double stepDecay) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            weights.forEach((name, p) -> {
                NDArray weight = p.getArray();
                averaged.get(name).getArray().subi(weight).muli(stepDecay).addi(weight);
            });
        } finally {
            JniUtils.setGradMode(recording);
        }
    }
}
