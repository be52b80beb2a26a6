package dev.imet.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's {@code BasicBlock} (conv1/bn1, conv2/bn2) or {@code Bottleneck} (conv1/bn1 1x1, conv2/bn2 3x3
 * carrying the stride and the groups as in ResNet v1.5, conv3/bn3 1x1), with the optional {@code downsample}
 * (1x1 conv + batch norm) on the shortcut and timm's optional {@code se} module after the last batch norm,
 * before the residual addition. Children are registered in PyTorch's order, so the state dict lists them in
 * the same order.
 */
final class ResidualBlock extends AbstractBlock {
    private final Block[] convs;
    private final Block[] norms;
    private final Block se;
    private final Block downsample;

    private ResidualBlock(Block[] convs, Block[] norms, Block se, Block downsample) {
        this.convs = convs;
        this.norms = norms;
        for (int i = 0; i < convs.length; i++) {
            addChildBlock("conv" + (i + 1), convs[i]);
            addChildBlock("bn" + (i + 1), norms[i]);
        }
        this.downsample = downsample == null ? null : addChildBlock("downsample", downsample);
        this.se = se == null ? null : addChildBlock("se", se);
    }

    static ResidualBlock basic(int inChannels, int planes, int stride) {
        Block[] convs = {
            TorchLayers.conv(inChannels, planes, 3, stride, 1, 1, false),
            TorchLayers.conv(planes, planes, 3, 1, 1, 1, false)
        };
        return new ResidualBlock(convs, norms(2), null, shortcut(inChannels, planes, stride));
    }

    static ResidualBlock bottleneck(int inChannels, int planes, int stride, int groups, int widthPerGroup, boolean se) {
        int width = planes * widthPerGroup / 64 * groups;
        int out = planes * ResNetLayout.BOTTLENECK_EXPANSION;
        Block[] convs = {
            TorchLayers.conv(inChannels, width, 1, 1, 0, 1, false),
            TorchLayers.conv(width, width, 3, stride, 1, groups, false),
            TorchLayers.conv(width, out, 1, 1, 0, 1, false)
        };
        Block squeeze = se ? new SqueezeExcitation(out, ResNetLayout.SE_REDUCTION) : null;
        return new ResidualBlock(convs, norms(3), squeeze, shortcut(inChannels, out, stride));
    }

    private static Block[] norms(int count) {
        Block[] norms = new Block[count];
        for (int i = 0; i < count; i++) {
            norms[i] = TorchLayers.batchNorm();
        }
        return norms;
    }

    /** torchvision adds a projection when the shape changes; its parts are {@code downsample.0} and {@code .1}. */
    private static Block shortcut(int inChannels, int outChannels, int stride) {
        if (stride == 1 && inChannels == outChannels) {
            return null;
        }
        return new SequentialBlock()
                .add(TorchLayers.conv(inChannels, outChannels, 1, stride, 0, 1, false))
                .add(TorchLayers.batchNorm());
    }

    /** Parameters only: the network's forward is its {@link ForwardScript}. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(ResNet.PARAMETERS_ONLY);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (int i = 0; i < convs.length; i++) {
            convs[i].initialize(manager, dataType, shapes);
            shapes = convs[i].getOutputShapes(shapes);
            norms[i].initialize(manager, dataType, shapes);
        }
        if (se != null) {
            se.initialize(manager, dataType, shapes);
        }
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block conv : convs) {
            shapes = conv.getOutputShapes(shapes);
        }
        return shapes;
    }
}
