package dev.imet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * timm's squeeze-and-excitation module ({@code se.fc1}, {@code se.fc2}): mean over space, 1x1 conv down by the
 * reduction, ReLU, 1x1 conv back up, sigmoid, and the input scaled channel by channel.
 */
final class SqueezeExcitation extends AbstractBlock {
    private static final int[] SPATIAL_AXES = {2, 3};

    private final Block fc1;
    private final Block fc2;
    private final int squeezed;

    SqueezeExcitation(int channels, int reduction) {
        squeezed = channels / reduction;
        fc1 = addChildBlock("fc1", TorchLayers.conv(channels, squeezed, 1, 1, 0, 1, true));
        fc2 = addChildBlock("fc2", TorchLayers.conv(squeezed, channels, 1, 1, 0, 1, true));
    }

    /** Intermediates are closed once consumed (see {@link ResidualBlock}); they are small here but many. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        // sum, then divide the small result: the backward of the engine's mean divides the full-size gradient
        // instead (measured: 0.1 s of a 7.5 s seresnext50_32x4d step at 320 px, batch 16)
        NDArray squeezed = x.sum(SPATIAL_AXES, true).divi(shape.get(2) * shape.get(3));
        NDArray reduced = fc1.forward(store, new NDList(squeezed), training).singletonOrThrow();
        squeezed.close();
        NDArray hidden = Activation.relu(reduced);
        reduced.close();
        NDArray expanded = fc2.forward(store, new NDList(hidden), training).singletonOrThrow();
        hidden.close();
        NDArray scale = Activation.sigmoid(expanded);
        expanded.close();
        NDArray scaled = x.mul(scale);
        scale.close();
        return new NDList(scaled);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        fc1.initialize(manager, dataType, new Shape(in.get(0), in.get(1), 1, 1));
        fc2.initialize(manager, dataType, new Shape(in.get(0), squeezed, 1, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
