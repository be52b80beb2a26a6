package dev.imet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.imet.data.Batch;
import dev.imet.inference.ExecutionChooser;
import dev.imet.inference.Loss;
import dev.imet.model.InputBuffer;
import dev.imet.model.MemoryFormat;
import dev.imet.model.StateDict;
import java.util.Arrays;

/**
 * One optimiser step on one batch: upload, forward in training mode, loss, backward, gradient-norm clipping and
 * the AdamW update. The training loop and the benchmark both run exactly this. Everything the step allocates
 * lives in its own sub-manager, closed before it returns, so native memory stays flat across steps.
 */
public final class TrainStep {
    /** The throw-away networks of the measurement learn at this rate: small, so they stay finite. */
    private static final double MEASURED_LEARNING_RATE = 1e-4;

    private final Block block;
    private final AdamW optimizer;
    private final NDManager manager;
    private final Loss loss;
    private final double clipNorm;
    private final ParameterStore parameterStore;
    private final MemoryFormat memoryFormat;
    private final InputBuffer imageBuffer = new InputBuffer();
    private final InputBuffer targetBuffer = new InputBuffer();

    /** @param clipNorm global gradient-norm limit; 0 turns clipping (and computing the norm) off */
    public TrainStep(Block block, AdamW optimizer, NDManager manager, Loss loss, double clipNorm,
            MemoryFormat memoryFormat) {
        this.memoryFormat = memoryFormat;
        this.block = block;
        this.optimizer = optimizer;
        this.manager = manager;
        this.loss = loss;
        this.clipNorm = clipNorm;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /**
     * The steps that {@code --precision}, {@code --memory-format} and {@code --small-convolutions auto} time for
     * training: this step whole, with the run's loss, clipping and weight decay, on the throw-away network of
     * each candidate, with its own optimiser.
     */
    public static ExecutionChooser.Workload workload(Loss loss, double clipNorm, double weightDecay) {
        return new ExecutionChooser.Workload() {
            @Override
            public boolean training() {
                return true;
            }

            @Override
            public Runnable prepare(Block block, NDManager manager, MemoryFormat format, Batch batch) {
                AdamW optimizer = AdamW.forNetwork(StateDict.parameters(block), weightDecay, manager);
                TrainStep step = new TrainStep(block, optimizer, manager, loss, clipNorm, format);
                double[] lrs = new double[ParamGroups.COUNT];
                Arrays.fill(lrs, MEASURED_LEARNING_RATE);
                return () -> step.run(batch, lrs);
            }
        };
    }

    /**
     * @param batch images (normalised) with their multi-hot targets
     * @param groupLrs the learning rate of each parameter group for this step
     * @return the batch's loss
     */
    public double run(Batch batch, double[] groupLrs) {
        int n = batch.count();
        int size = batch.size();
        try (NDManager step = manager.newSubManager()) {
            NDArray x = memoryFormat.arrange(imageBuffer.upload(step, batch.images(), new Shape(n, 3, size, size)));
            NDArray y = targetBuffer.upload(step, batch.targets(), new Shape(n, batch.targets().length / n));
            NDArray lossArray;
            // the collector records the forward pass; the optimiser takes the loss's gradients from that graph
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = block.forward(parameterStore, new NDList(x), true).singletonOrThrow();
                lossArray = loss.compute(logits, y);
            }
            optimizer.step(lossArray, groupLrs, clipNorm, step);
            return lossArray.getFloat();
        }
    }
}
