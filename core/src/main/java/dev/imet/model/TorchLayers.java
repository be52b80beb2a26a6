package dev.imet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * DJL layers configured as their PyTorch counterparts, initialised the way torchvision's ResNet initialises a
 * network trained from scratch: convolutions Kaiming-normal (fan_out, ReLU gain), batch norm weight 1 and
 * bias 0, linear layers (and conv biases) with PyTorch's default uniform(+-1/sqrt(fan_in)).
 */
final class TorchLayers {
    private TorchLayers() {}

    /** {@code nn.Conv2d(inChannels, outChannels, kernel, stride, padding, groups=groups, bias=bias)}. */
    static Conv2d conv(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, boolean bias) {
        Conv2d conv = Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .optBias(bias)
                .build();
        // kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (out * k * k))
        conv.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2f), Parameter.Type.WEIGHT);
        if (bias) {
            int fanIn = inChannels / groups * kernel * kernel;
            conv.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(fanIn))), Parameter.Type.BIAS);
        }
        return conv;
    }

    /** {@code nn.BatchNorm2d(c)} with PyTorch's eps and momentum. */
    static TorchBatchNorm batchNorm() {
        return new TorchBatchNorm();
    }

    /** {@code nn.Linear(inFeatures, outFeatures)} with PyTorch's default initialisation. */
    static Linear linear(int inFeatures, int outFeatures) {
        Linear linear = Linear.builder().setUnits(outFeatures).optBias(true).build();
        float bound = (float) (1 / Math.sqrt(inFeatures));
        // kaiming_uniform_(a=sqrt(5)) reduces to uniform(+-1/sqrt(fan_in)), as does the bias
        linear.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.IN, 1f), Parameter.Type.WEIGHT);
        linear.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        return linear;
    }
}
