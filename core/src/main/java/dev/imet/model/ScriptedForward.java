package dev.imet.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

/**
 * A {@link ForwardScript} loaded into the engine, run on the DJL-owned float32 parameters: each call passes the
 * input and the parameters' current arrays ({@code p[]}: DJL packs arrays whose names end in {@code []} into one
 * list argument), so gradients land on those arrays and batch norm updates their running statistics in place.
 * The module lives in the parameters' manager and is closed with it. Training runs the script's {@code forward}, the
 * module in training mode for good ({@code self.training}); evaluation runs {@code infer}.
 */
final class ScriptedForward {
    private static final String LIST_ARGUMENT = "p[]";

    private final PtSymbolBlock module;
    private final Parameter[] parameters;
    /** @param parameters the network's parameters by state-dict name; every name of the script must be there */
    ScriptedForward(ForwardScript script, Map<String, Parameter> parameters, PtNDManager manager) {
        List<String> names = script.parameterNames();
        this.parameters = new Parameter[names.size()];
        for (int i = 0; i < names.size(); i++) {
            Parameter p = parameters.get(names.get(i));
            if (p == null) {
                throw new IllegalStateException("the forward script uses " + names.get(i) + ", which the network lacks");
            }
            this.parameters[i] = p;
        }
        byte[] archive = TorchScriptArchive.of(ForwardScript.CLASS_NAME, script.source());
        try {
            module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // read from memory
        }
        JniUtils.enableTrainingMode(module);
    }

    /**
     * The logits for {@code x}, in {@code x}'s manager: in training mode (inside a gradient collector) the script's
     * {@code forward}; in evaluation mode its {@code infer}, batch norm folded into the convolutions.
     */
    NDArray forward(ParameterStore store, NDArray x, boolean training) {
        // TorchScript's optimising executor (per thread) would compile a differentiable graph from the calls it has
        // profiled, which then fails in an evaluation call after training with frozen parameters ("Inference tensors
        // cannot be saved for backward"); the plain interpreter runs the same aten operations as eager PyTorch.
        JniUtils.setGraphExecutorOptimize(false);
        Device device = x.getDevice();
        if (!training) {
            return infer(store, (PtNDArray) x, device);
        }
        NDList inputs = new NDList(parameters.length + 1);
        inputs.add(x);
        for (Parameter p : parameters) {
            NDArray value = store.getValue(p, device, true);
            value.setName(LIST_ARGUMENT);
            inputs.add(value);
        }
        return IValueUtils.forward(module, inputs, true).singletonOrThrow();
    }

    /** {@code infer(x, p)}, without autograd (the engine's inference mode). */
    private NDArray infer(ParameterStore store, PtNDArray x, Device device) {
        PtNDArray[] values = new PtNDArray[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            values[i] = (PtNDArray) store.getValue(parameters[i], device, false);
        }
        IValue input = IValue.from(x);
        IValue list = IValue.listFrom(values);
        try (IValue output = IValueUtils.runMethod(module, ForwardScript.INFER, input, list)) {
            return output.toTensor(x.getManager());
        } finally {
            input.close();
            list.close();
        }
    }
}
