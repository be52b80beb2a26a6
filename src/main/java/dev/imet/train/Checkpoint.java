package dev.imet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imet.common.InputException;
import dev.imet.model.SafeTensors;
import dev.imet.model.TensorData;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable checkpoint in one safetensors file, written atomically: the network's tensors under their PyTorch
 * names, Adam's moments under {@code adam.m.NAME} / {@code adam.v.NAME}, and in the header's metadata a format
 * version, the steps done, the {@link EarlyStopping} state, each tensor's Adam step count and the seed. The random state is the seed itself: every draw of the data
 * pipeline and of mixup is derived from (seed, epoch, index) or (seed, step).
 */
public final class Checkpoint {
    static final String METADATA_KEY = "imet.checkpoint";
    /** The metadata's layout; bump it when a key changes. */
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEAN = "adam.m.";
    private static final String VARIANCE = "adam.v.";

    private Checkpoint() {}

    public static void save(Path file, Map<String, Parameter> parameters, AdamW optimizer, long step,
            EarlyStopping earlyStopping, long seed) {
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        parameters.forEach((name, p) -> tensors.put(name, floats(p.getArray())));
        Map<String, Long> steps = new LinkedHashMap<>();
        for (AdamW.Slot s : optimizer.slots()) {
            if (s.mean != null) {
                tensors.put(MEAN + s.name, floats(s.mean));
                tensors.put(VARIANCE + s.name, floats(s.variance));
                steps.put(s.name, s.steps);
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put(EarlyStopping.STATE_KEY, earlyStopping.state());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("state", state);
        meta.put("adam_steps", steps);
        meta.put("seed", seed);
        try {
            SafeTensors.write(file, tensors, Map.of(METADATA_KEY, JSON.writeValueAsString(meta)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts the checkpoint's weights, moments and early-stopping state in place and returns the number of steps
     * done, the step to continue from.
     */
    public static long restore(Path file, Map<String, Parameter> parameters, AdamW optimizer,
            EarlyStopping earlyStopping, NDManager manager) {
        String json = SafeTensors.metadata(file).get(METADATA_KEY);
        if (json == null) {
            throw new InputException(file + ": not a training checkpoint (no " + METADATA_KEY + " metadata)");
        }
        Map<String, Object> meta;
        try {
            meta = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new InputException(file + ": unreadable checkpoint state (" + e.getMessage() + ")", e);
        }
        if (!Integer.valueOf(FORMAT).equals(meta.get("format"))) {
            throw new InputException(file + ": checkpoint format " + meta.get("format")
                    + " is not one this version of imet reads (it reads format " + FORMAT + ")");
        }
        Map<String, TensorData> tensors = SafeTensors.read(file);
        parameters.forEach((name, p) -> {
            TensorData saved = tensors.get(name);
            if (saved == null || !Arrays.equals(saved.shape(), p.getArray().getShape().getShape())) {
                throw new InputException(file + ": the checkpoint lacks " + name + " or holds another shape");
            }
            p.getArray().set(FloatBuffer.wrap(saved.toFloats()));
        });
        @SuppressWarnings("unchecked")
        Map<String, Number> steps = (Map<String, Number>) meta.get("adam_steps");
        for (AdamW.Slot s : optimizer.slots()) {
            Number t = steps.get(s.name);
            if (t != null) {
                s.mean = array(tensors.get(MEAN + s.name), manager);
                s.variance = array(tensors.get(VARIANCE + s.name), manager);
                s.steps = t.longValue();
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) meta.get("state");
        @SuppressWarnings("unchecked")
        Map<String, Object> stopping = (Map<String, Object>) state.get(EarlyStopping.STATE_KEY);
        earlyStopping.restore(stopping);
        return ((Number) state.get("step")).longValue();
    }

    private static TensorData floats(NDArray array) {
        return TensorData.ofFloats(array.getShape().getShape(), array.toFloatArray());
    }

    private static NDArray array(TensorData data, NDManager manager) {
        return manager.create(data.toFloats(), new Shape(data.shape()));
    }
}
