package dev.imet.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * An architecture by name with its input defaults.
 *
 * @param name      what {@code --arch} takes
 * @param imageSize default input side in pixels
 * @param mean      per-channel (RGB) normalisation mean, for inputs in [0, 1]
 * @param std       per-channel (RGB) normalisation standard deviation
 * @param layout    the network's shape
 * @param origin    the PyTorch model this network is, name for name (null: none, a tool of this project only)
 */
public record ModelSpec(String name, int imageSize, float[] mean, float[] std, ResNetLayout layout, String origin) {

    public ModelSpec {
        mean = mean.clone();
        std = std.clone();
    }

    /** The network with a classifier for {@code numClasses} outputs; parameters are not allocated yet. */
    public Block build(int numClasses) {
        return new ResNet(layout, numClasses);
    }

    /**
     * The network with its parameters allocated in {@code manager} and initialised as torchvision does when
     * training from scratch (random: seed with {@code Engine.getInstance().setRandomSeed} first when it matters).
     * Parameter shapes do not depend on the image size; any input size works afterwards.
     */
    public Block buildInitialized(int numClasses, NDManager manager) {
        Block block = build(numClasses);
        block.initialize(manager, DataType.FLOAT32, inputShape(1));
        return block;
    }

    /** N x 3 x imageSize x imageSize. */
    public Shape inputShape(int batchSize) {
        return new Shape(batchSize, 3, imageSize, imageSize);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
