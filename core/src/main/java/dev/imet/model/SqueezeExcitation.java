package dev.imet.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * timm's squeeze-and-excitation module ({@code se.fc1}, {@code se.fc2}): mean over space, 1x1 conv down by the
 * reduction, ReLU, 1x1 conv back up, sigmoid, and the input scaled channel by channel (in {@link ForwardScript}).
 */
final class SqueezeExcitation extends AbstractBlock {
    private final Block fc1;
    private final Block fc2;
    private final int squeezed;

    SqueezeExcitation(int channels, int reduction) {
        squeezed = channels / reduction;
        fc1 = addChildBlock("fc1", TorchLayers.conv(channels, squeezed, 1, 1, 0, 1, true));
        fc2 = addChildBlock("fc2", TorchLayers.conv(squeezed, channels, 1, 1, 0, 1, true));
    }

    /** Parameters only: the network's forward is its {@link ForwardScript}. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(ResNet.PARAMETERS_ONLY);
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
