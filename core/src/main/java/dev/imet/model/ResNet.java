package dev.imet.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's ResNet as a DJL block, child for child: {@code conv1}, {@code bn1}, ReLU, 3x3/2 max pool,
 * {@code layer1}..{@code layer4}, global average pooling, then the head of SPEC §3: dropout 0.25 and
 * {@code fc} to the raw logits. Input: N x 3 x H x W (any H, W); output: N x numClasses, float32.
 *
 * <p>The child blocks hold the parameters (float32, under PyTorch's names) and give the shapes; the forward pass is
 * the {@link ForwardScript} generated from the same layout, at the network's {@link Precision}, run on them.
 */
public final class ResNet extends AbstractBlock {
    /** The head's dropout rate (the reference solution's). */
    public static final float HEAD_DROPOUT = 0.25f;
    /** Parameter-name prefix of the classifier, the part that is replaced for a new number of classes. */
    public static final String CLASSIFIER = "fc";
    /** What the child blocks say when asked to run: they hold parameters only. */
    static final String PARAMETERS_ONLY = "parameters only: the network runs its generated ForwardScript";

    // torchvision's stem: a 7x7 stride-2 convolution, then 3x3 stride-2 max pooling; each later stage halves again
    private static final int STEM_KERNEL = 7;
    private static final int STEM_STRIDE = 2;
    private static final int STEM_PADDING = 3;
    private static final int POOL_KERNEL = 3;
    private static final int POOL_STRIDE = 2;
    private static final int POOL_PADDING = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block[] stages = new Block[4];
    private final Block fc;
    private final int numClasses;
    private final ResNetLayout layout;
    private final Precision precision;
    private final SmallConvolutions smallConvolutions;
    private ScriptedForward forward;

    /**
     * The network computing at {@code precision}, training its small convolutions as {@code smallConvolutions}
     * says; its forward is compiled when it is initialised.
     */
    public ResNet(ResNetLayout layout, int numClasses, Precision precision, SmallConvolutions smallConvolutions) {
        this.layout = layout;
        this.precision = precision;
        this.smallConvolutions = smallConvolutions;
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        conv1 = addChildBlock("conv1", TorchLayers.conv(3, layout.stemWidth(), STEM_KERNEL, STEM_STRIDE,
                STEM_PADDING, 1, false));
        bn1 = addChildBlock("bn1", TorchLayers.batchNorm());
        int channels = layout.stemWidth();
        int[] blocks = layout.blocksPerStage();
        int[] planes = layout.stagePlanes();
        for (int s = 0; s < 4; s++) {
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                stage.add(layout.bottleneck()
                        ? ResidualBlock.bottleneck(channels, planes[s], stride, layout.groups(),
                                layout.widthPerGroup(), layout.squeezeExcitation())
                        : ResidualBlock.basic(channels, planes[s], stride));
                channels = layout.outputChannels(planes[s]);
            }
            stages[s] = addChildBlock("layer" + (s + 1), stage);
        }
        fc = addChildBlock(CLASSIFIER, TorchLayers.linear(channels, numClasses));
    }

    public int numClasses() {
        return numClasses;
    }

    /** The generated forward script (ForwardScript), which the child blocks' parameters are passed to. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (forward == null) {
            throw new IllegalStateException("the network runs once initialised");
        }
        return new NDList(forward.forward(store, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : getChildren().values()) {
            if (child == fc) {
                shapes = new Shape[] {new Shape(shapes[0].get(0), shapes[0].get(1))};
            }
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
            if (child == bn1) {
                shapes = new Shape[] {maxPoolOutput(shapes[0])};
            }
        }
        forward = new ScriptedForward(ForwardScript.of(layout, precision, smallConvolutions), StateDict.parameters(this),
                (PtNDManager) manager);
    }

    /** The side of the last stage's output for square images of {@code imageSize} pixels. */
    static long lastStageSide(long imageSize) {
        long side = outputSide(imageSize, STEM_KERNEL, STEM_STRIDE, STEM_PADDING);
        side = outputSide(side, POOL_KERNEL, POOL_STRIDE, POOL_PADDING);
        for (int stage = 1; stage < 4; stage++) {
            side = outputSide(side, 3, 2, 1); // the stride-2 3x3 convolution that opens each later stage
        }
        return side;
    }

    /** The output side of a square window of {@code kernel} at {@code stride} with {@code padding}, as PyTorch's. */
    private static long outputSide(long side, int kernel, int stride, int padding) {
        return (side + 2L * padding - kernel) / stride + 1;
    }

    private static Shape maxPoolOutput(Shape in) {
        return new Shape(in.get(0), in.get(1), outputSide(in.get(2), POOL_KERNEL, POOL_STRIDE, POOL_PADDING),
                outputSide(in.get(3), POOL_KERNEL, POOL_STRIDE, POOL_PADDING));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }
}
