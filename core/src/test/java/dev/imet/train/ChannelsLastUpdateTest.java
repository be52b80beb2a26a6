package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.imet.data.Batch;
import dev.imet.inference.Loss;
import dev.imet.inference.LossKind;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelRegistry;
import dev.imet.model.StateDict;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A training step moves every weight as AdamW's formula says, in either memory format. In channels-last (and in
 * the stem, which runs channels-last in both) a convolution's weight gradient comes back channels-last; PyTorch's
 * CPU fused AdamW walks its tensors as flat memory, so a gradient that reached it in another layout than its
 * weight's would move a 3x3 kernel's elements by each other's gradients.
 */
class ChannelsLastUpdateTest {
    private static final int SIZE = 32;
    private static final int BATCH = 4;
    private static final int CLASSES = 5;
    private static final double LR = 1e-3;

    @Test
    void theFirstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
        for (MemoryFormat format : MemoryFormat.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(11);
                Block block = ModelRegistry.get("tiny_resnet").buildInitialized(CLASSES, SIZE, manager);
                LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
                Loss loss = Loss.of(LossKind.BCE);
                Batch batch = batch();
                // the gradients as DJL's backward stores them (in each weight's own layout), on a contiguous batch
                Engine.getInstance().setRandomSeed(12); // the same dropout mask in every forward pass
                try (NDManager pass = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray x = pass.create(batch.images(), new Shape(BATCH, 3, SIZE, SIZE));
                    NDArray logits = block.forward(new ParameterStore(pass, false), new NDList(x), true)
                            .singletonOrThrow();
                    collector.backward(loss.compute(logits, pass.create(batch.targets(), new Shape(BATCH, CLASSES))));
                }
                Map<String, float[]> before = new LinkedHashMap<>();
                Map<String, float[]> gradients = new LinkedHashMap<>();
                parameters.forEach((name, p) -> {
                    if (AdamW.isTrainable(p)) {
                        before.put(name, p.getArray().toFloatArray());
                        gradients.put(name, p.getArray().getGradient().toFloatArray());
                    }
                });
                // the same gradients as new tensors (autograd.grad, as the step takes them) on the batch in this
                // format: should the update check below fail, this tells a different gradient (the forward, the
                // dropout mask) from a gradient applied to the wrong elements
                Engine.getInstance().setRandomSeed(12);
                try (NDManager pass = manager.newSubManager()) {
                    NDArray x = format.arrange(pass.create(batch.images(), new Shape(BATCH, 3, SIZE, SIZE)));
                    NDArray lossValue;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = block.forward(new ParameterStore(pass, false), new NDList(x), true)
                                .singletonOrThrow();
                        lossValue = loss.compute(logits, pass.create(batch.targets(), new Shape(BATCH, CLASSES)));
                    }
                    List<String> names = List.copyOf(gradients.keySet());
                    List<NDArray> taken = new Gradients((PtNDManager) manager).of(lossValue,
                            names.stream().map(n -> parameters.get(n).getArray()).toList());
                    for (int t = 0; t < names.size(); t++) {
                        float[] expected = gradients.get(names.get(t));
                        float[] actual = taken.get(t).toFloatArray();
                        float largest = 0;
                        float worst = 0;
                        for (int i = 0; i < expected.length; i++) {
                            largest = Math.max(largest, Math.abs(expected[i]));
                            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                        }
                        assertThat(worst).as("%s, %s: autograd.grad's gradient against the backward's", format,
                                names.get(t)).isLessThanOrEqualTo(1e-3f * largest);
                    }
                }
                TrainStep step = new TrainStep(block, AdamW.forNetwork(parameters, 0, manager), manager, loss, 0,
                        format);
                double[] lrs = new double[ParamGroups.COUNT];
                Arrays.fill(lrs, LR);
                Engine.getInstance().setRandomSeed(12);
                step.run(batch, lrs);
                assertThat(gradients).containsKey("conv1.weight").containsKey("layer1.0.conv1.weight");
                gradients.forEach((name, g) -> {
                    float[] after = parameters.get(name).getArray().toFloatArray();
                    float[] old = before.get(name);
                    float largest = 0;
                    for (float v : g) {
                        largest = Math.max(largest, Math.abs(v));
                    }
                    int wrong = 0;
                    String first = "";
                    for (int i = 0; i < g.length; i++) {
                        // Adam's first step: -lr * g / (|g| + eps), i.e. -lr * sign(g) but where g is tiny (where
                        // the other summation order of a layout may even flip its sign)
                        if (Math.abs(g[i]) > 1e-3 * largest
                                && Math.abs((after[i] - old[i]) + LR * Math.signum(g[i])) > 0.05 * LR) {
                            if (wrong++ == 0) {
                                first = "; the first at " + i + ": gradient " + g[i] + " (largest " + largest
                                        + "), moved " + (after[i] - old[i]);
                            }
                        }
                    }
                    assertThat(wrong).as("%s, %s: weights moved against the formula, of %d%s", format, name,
                            g.length, first).isZero();
                });
            }
        }
    }

    private static Batch batch() {
        SplittableRandom random = new SplittableRandom(3);
        float[] images = new float[BATCH * 3 * SIZE * SIZE];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        float[] targets = new float[BATCH * CLASSES];
        for (int i = 0; i < targets.length; i += 3) {
            targets[i] = 1f;
        }
        return new Batch(List.of("a", "b", "c", "d"), images, targets, SIZE);
    }
}
