package dev.imet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.BatchNorm2d} over axis 1, with DJL's parameter names ({@code gamma}, {@code beta},
 * {@code runningMean}, {@code runningVar}; {@link StateDict} maps them to PyTorch's).
 *
 * <p>It calls the engine's batch norm directly. DJL's own {@code BatchNorm} hands back a view of the result
 * (it swaps axis 1 with itself), and an in-place operation on a view, such as the residual block's addition,
 * makes autograd copy the whole base tensor back and forth in the backward pass ({@code CopySlices},
 * {@code AsStridedBackward}), measured at 3 % of a resnet50 training step, and much more in channels-last
 * memory format, where those copies come back in the other layout.
 */
final class TorchBatchNorm extends AbstractBlock {
    /** PyTorch's definition: the weight of the new batch statistic in the running average. */
    static final float MOMENTUM = 0.1f;
    static final float EPSILON = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long channels;

    TorchBatchNorm() {
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        var device = x.getDevice();
        return new NDList(JniUtils.batchNorm(
                (PtNDArray) x,
                (PtNDArray) store.getValue(runningMean, device, training),
                (PtNDArray) store.getValue(runningVar, device, training),
                (PtNDArray) store.getValue(gamma, device, training),
                (PtNDArray) store.getValue(beta, device, training),
                training,
                MOMENTUM,
                EPSILON));
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (Parameter p : new Parameter[] {gamma, beta, runningMean, runningVar}) {
            p.setShape(new Shape(channels));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
