package dev.imet.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.imet.common.InputSpec;

/**
 * An architecture by name with its input defaults.
 *
 * @param name   what {@code --arch} takes
 * @param input  default input: size in pixels and the normalisation its pretrained weights expect
 * @param layout the network's shape
 * @param origin the PyTorch model this network is, name for name (null: none, a tool of this project only)
 */
public record ModelSpec(String name, InputSpec input, ResNetLayout layout, String origin) {

    /**
     * The network with a classifier for {@code numClasses} outputs, computing at {@code precision} and training its
     * small convolutions as {@code smallConvolutions} says; parameters are not allocated yet.
     */
    public Block build(int numClasses, Precision precision, SmallConvolutions smallConvolutions) {
        return new ResNet(layout, numClasses, precision, smallConvolutions);
    }

    /**
     * The network with its parameters allocated in {@code manager} and initialised as torchvision does when
     * training from scratch (random: seed with {@code Engine.getInstance().setRandomSeed} first when it matters),
     * for inputs of {@code imageSize} pixels, the size it will run at, computing at {@code precision} and training
     * its small convolutions as {@code smallConvolutions} says.
     */
    public Block buildInitialized(int numClasses, int imageSize, NDManager manager, Precision precision,
            SmallConvolutions smallConvolutions) {
        Block block = build(numClasses, precision, smallConvolutions);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
        return block;
    }

    /** {@link #buildInitialized(int, int, NDManager, Precision, SmallConvolutions)} with every convolution direct. */
    public Block buildInitialized(int numClasses, int imageSize, NDManager manager, Precision precision) {
        return buildInitialized(numClasses, imageSize, manager, precision, SmallConvolutions.DIRECT);
    }

    /** {@link #buildInitialized(int, int, NDManager, Precision)} computing in float32. */
    public Block buildInitialized(int numClasses, int imageSize, NDManager manager) {
        return buildInitialized(numClasses, imageSize, manager, Precision.FP32);
    }

    /** {@link #buildInitialized(int, int, NDManager)} at the architecture's default size. */
    public Block buildInitialized(int numClasses, NDManager manager) {
        return buildInitialized(numClasses, input.size(), manager);
    }
}
