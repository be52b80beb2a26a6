package dev.imet.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.imet.common.InputSpec;
import dev.imet.data.Batch;
import dev.imet.data.BatchLoader;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageItem;
import dev.imet.data.ImageTransform;
import dev.imet.data.RgbImage;
import dev.imet.data.Transforms;
import dev.imet.model.InputBuffer;
import dev.imet.model.MemoryFormat;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a network in evaluation mode over images and averages the sigmoid outputs of the TTA views of SPEC §6
 * (view 0 the evaluation transform, view 1 its mirror, further views seeded train-style crops).
 */
public final class Predictor {
    /** Probabilities (rows x numClasses, row-major, in the order of the items) and the mean loss when known. */
    public record Output(float[] probs, int rows, int numClasses, double loss) {}

    private final Block block;
    private final NDManager manager;
    private final InputSpec input;
    private final int batchSize;
    private final int workers;
    private final DecodedImageCache cache;
    private final InputBuffer imageBuffer = new InputBuffer();
    private final InputBuffer targetBuffer = new InputBuffer();
    private final ParameterStore parameterStore;
    private final MemoryFormat memoryFormat;
    private final long maxPixels;

    /**
     * @param cache decoded images kept across calls (the training checks see the same images), or null
     * @param maxPixels images declaring more pixels are refused before they are decoded
     */
    public Predictor(Block block, NDManager manager, InputSpec input, int batchSize, int workers,
            DecodedImageCache cache, long maxPixels, MemoryFormat memoryFormat) {
        this.maxPixels = maxPixels;
        this.memoryFormat = memoryFormat;
        this.block = block;
        this.manager = manager;
        this.input = input;
        this.batchSize = batchSize;
        this.workers = workers;
        this.cache = cache;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /**
     * The network's raw outputs (n x numClasses) for n normalised images, in evaluation mode and without recording
     * anything for autograd; the arrays live in {@code scope}.
     */
    public NDArray logits(NDManager scope, float[] images, int n) {
        NDArray x = memoryFormat.arrange(imageBuffer.upload(scope, images, new Shape(n, 3, input.size(), input.size())));
        // Grad mode is per thread in the engine; a caller's thread may have it on (a training step's collector).
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return block.forward(parameterStore, new NDList(x), false).singletonOrThrow();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /**
     * @param loss the loss to report over items with labels, or null for none
     * @param onBatch called with the number of images after each batch (progress), may be null
     */
    public Output predict(List<ImageItem> items, int numClasses, int views, long seed, Loss loss,
            IntConsumer onBatch) {
        boolean labelled = items.stream().anyMatch(item -> item.labels().length > 0);
        float[] probs = new float[items.size() * numClasses];
        double lossSum = 0;
        long lossCount = 0;
        for (int view = 0; view < views; view++) {
            var transform = Transforms.ttaView(view, input);
            var options = BatchLoader.Options.inference(batchSize, seed, view, labelled).withWorkers(workers).withCache(cache)
                    .withMaxPixels(maxPixels);
            try (BatchLoader loader = new BatchLoader(items, numClasses, transform, options)) {
                int row = 0;
                for (Batch b : loader) {
                    int n = b.count();
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray logits = logits(sub, b.images(), n);
                        addProbabilities(logits, probs, row * numClasses, views);
                        if (loss != null && b.targets() != null) {
                            NDArray y = targetBuffer.upload(sub, b.targets(), new Shape(n, numClasses));
                            lossSum += loss.compute(logits, y).getFloat() * n;
                            lossCount += n;
                        }
                    }
                    row += n;
                    if (onBatch != null) {
                        onBatch.accept(n);
                    }
                }
            }
        }
        return new Output(probs, items.size(), numClasses, lossCount == 0 ? Double.NaN : lossSum / lossCount);
    }

    /**
     * {@link #predict} without a loss, for images already decoded (the Spark job's, which come as bytes): each
     * view renders an image as the batch loader does, seeded from (seed, view, id), so a row equals the row
     * {@code predict} gives the same id. Every batch's arrays are freed before the next.
     */
    public Output predictDecoded(List<String> ids, List<RgbImage> images, int numClasses, int views, long seed) {
        int count = ids.size();
        if (images.size() != count) {
            throw new IllegalArgumentException(count + " ids for " + images.size() + " images");
        }
        float[] probs = new float[count * numClasses];
        int imageFloats = input.imageLength();
        float[] fullBatch = new float[Math.min(batchSize, count) * imageFloats];
        for (int view = 0; view < views; view++) {
            ImageTransform transform = Transforms.ttaView(view, input);
            for (int start = 0; start < count; start += batchSize) {
                int n = Math.min(batchSize, count - start);
                float[] batch = n * imageFloats == fullBatch.length ? fullBatch : new float[n * imageFloats];
                for (int i = 0; i < n; i++) {
                    transform.applyInto(images.get(start + i), BatchLoader.imageRandom(seed, view, ids.get(start + i)),
                            batch, i * imageFloats);
                }
                try (NDManager sub = manager.newSubManager()) {
                    addProbabilities(logits(sub, batch, n), probs, start * numClasses, views);
                }
            }
        }
        return new Output(probs, count, numClasses, Double.NaN);
    }

    /** Adds the sigmoid of the logits, divided by the number of views, to probs from {@code offset} on. */
    private static void addProbabilities(NDArray logits, float[] probs, int offset, int views) {
        float[] p = ai.djl.nn.Activation.sigmoid(logits).toFloatArray();
        for (int k = 0; k < p.length; k++) {
            probs[offset + k] += p[k] / views;
        }
    }
}
