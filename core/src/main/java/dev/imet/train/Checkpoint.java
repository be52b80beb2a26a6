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
import dev.imet.model.StateDict;
import dev.imet.model.TensorData;
import dev.imet.run.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resumable checkpoint in one safetensors file, written atomically: the network's tensors under their PyTorch
 * names, Adam's moments under {@code adam.m.NAME} / {@code adam.v.NAME}, the moving average of the weights (when the
 * run keeps one, {@link WeightAverage}) under {@code ema.NAME}, and in the header's metadata a format
 * version, the loop's {@link TrainingLoop.Progress}, the {@link EarlyStopping} state, each tensor's Adam step count,
 * the seed and a CRC-32C of every tensor's name and bytes. The random state is the seed itself: every draw is
 * derived from (seed, step) or (seed, epoch, image). The checkpoint before the last is kept next to it; a last
 * checkpoint that is missing or fails its checksum is replaced by that one on resume, with a warning.
 */
public final class Checkpoint {
    static final String METADATA_KEY = "imet.checkpoint";
    /** The metadata's layout; bump it when a key changes. */
    static final int FORMAT = 1;
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEAN = "adam.m.";
    private static final String VARIANCE = "adam.v.";
    private static final String AVERAGE = "ema.";

    private Checkpoint() {}

    /**
     * Writes the run's checkpoint; the one it replaces becomes the previous checkpoint. The new one is written
     * whole beside them first, then two renames put both in place: a kill leaves at least one good checkpoint.
     */
    public static void save(RunFolder run, Map<String, Parameter> parameters, Map<String, Parameter> averaged,
            AdamW optimizer, TrainingLoop.Progress progress, EarlyStopping earlyStopping, long seed) {
        Path next = run.dir().resolve("checkpoint.next.safetensors");
        write(next, parameters, averaged, optimizer, progress, earlyStopping, seed);
        try {
            if (Files.exists(run.checkpoint())) {
                Files.move(run.checkpoint(), run.previousCheckpoint(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(next, run.checkpoint(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the new checkpoint in place in " + run.dir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes one checkpoint file atomically; {@code averaged} is empty when the run keeps no moving average. */
    static void write(Path file, Map<String, Parameter> parameters, Map<String, Parameter> averaged, AdamW optimizer,
            TrainingLoop.Progress progress, EarlyStopping earlyStopping, long seed) {
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        parameters.forEach((name, p) -> tensors.put(name, floats(p.getArray())));
        averaged.forEach((name, p) -> tensors.put(AVERAGE + name, floats(p.getArray())));
        Map<String, Long> steps = new LinkedHashMap<>();
        for (AdamW.Slot s : optimizer.slots()) {
            if (s.mean != null) {
                tensors.put(MEAN + s.name, floats(s.mean));
                tensors.put(VARIANCE + s.name, floats(s.variance));
                steps.put(s.name, s.steps);
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", progress.steps());
        state.put("train_loss_sum", progress.trainLossSum());
        state.put("train_loss_count", progress.trainLossCount());
        state.put(EarlyStopping.STATE_KEY, earlyStopping.state());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("state", state);
        meta.put("adam_steps", steps);
        meta.put("seed", seed);
        meta.put("data_crc32c", checksum(tensors));
        try {
            SafeTensors.write(file, tensors, Map.of(METADATA_KEY, JSON.writeValueAsString(meta)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts the run's last good checkpoint in place (weights, moments, early-stopping state) and returns the loop's
     * progress to continue from. Falls back to the previous checkpoint, saying so, when the last one is missing or
     * damaged; an InputException naming both files when neither is usable.
     */
    public static TrainingLoop.Progress restore(RunFolder run, Map<String, Parameter> parameters,
            Map<String, Parameter> averaged, AdamW optimizer, EarlyStopping earlyStopping, NDManager manager) {
        InputException last;
        try {
            return restore(run.checkpoint(), parameters, averaged, optimizer, earlyStopping, manager);
        } catch (InputException e) {
            last = e;
        }
        if (!Files.exists(run.previousCheckpoint())) {
            throw last;
        }
        LOG.warn("{}; resuming from the previous checkpoint {}", last.getMessage(), run.previousCheckpoint());
        TrainingLoop.Progress progress;
        try {
            progress = restore(run.previousCheckpoint(), parameters, averaged, optimizer, earlyStopping, manager);
        } catch (InputException previous) {
            throw new InputException(last.getMessage() + "; and the previous checkpoint: " + previous.getMessage(),
                    previous);
        }
        promotePrevious(run);
        return progress;
    }

    /**
     * After a fallback: the damaged checkpoint is set aside (kept for a look) and the previous one becomes the
     * last, so that the next save keeps it as the previous one; a good file exists at every moment.
     */
    private static void promotePrevious(RunFolder run) {
        Path damaged = run.dir().resolve("checkpoint.damaged.safetensors");
        try {
            if (Files.exists(run.checkpoint())) {
                Files.move(run.checkpoint(), damaged, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                LOG.warn("the damaged checkpoint is kept as {}", damaged);
            }
            Files.move(run.previousCheckpoint(), run.checkpoint(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the previous checkpoint " + run.previousCheckpoint()
                    + " in place: " + e.getMessage(), e);
        }
    }

    /** Restores one checkpoint file; InputException naming it when it is missing, damaged or not a checkpoint. */
    static TrainingLoop.Progress restore(Path file, Map<String, Parameter> parameters,
            Map<String, Parameter> averaged, AdamW optimizer, EarlyStopping earlyStopping, NDManager manager) {
        if (!Files.exists(file)) {
            throw new InputException(file + ": no checkpoint");
        }
        String json = SafeTensors.metadata(file).get(METADATA_KEY);
        if (json == null) {
            throw new InputException(file + ": not a training checkpoint (no " + METADATA_KEY + " metadata)");
        }
        Map<String, Object> meta;
        try {
            meta = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new InputException(file + ": unreadable checkpoint state", e);
        }
        if (!Integer.valueOf(FORMAT).equals(meta.get("format"))) {
            throw new InputException(file + ": checkpoint format " + meta.get("format")
                    + " is not one this version of imet reads (it reads format " + FORMAT + ")");
        }
        Map<String, TensorData> tensors = SafeTensors.read(file);
        if (!checksum(tensors).equals(meta.get("data_crc32c"))) {
            throw new InputException(file + ": damaged checkpoint (its data does not match its checksum)");
        }
        restoreValues(file, tensors, "", parameters);
        restoreValues(file, tensors, AVERAGE, averaged);
        @SuppressWarnings("unchecked")
        Map<String, Number> steps = (Map<String, Number>) meta.get("adam_steps");
        for (AdamW.Slot s : optimizer.slots()) {
            Number t = steps.get(s.name);
            if (t != null) {
                s.mean = array(tensors.get(MEAN + s.name), manager);
                s.variance = array(tensors.get(VARIANCE + s.name), manager);
                s.steps = t.longValue();
            } else {
                s.mean = null;
                s.variance = null;
                s.steps = 0;
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) meta.get("state");
        @SuppressWarnings("unchecked")
        Map<String, Object> stopping = (Map<String, Object>) state.get(EarlyStopping.STATE_KEY);
        earlyStopping.restore(stopping);
        return new TrainingLoop.Progress(((Number) state.get("step")).longValue(),
                ((Number) state.get("train_loss_sum")).doubleValue(),
                ((Number) state.get("train_loss_count")).longValue());
    }

    private static void restoreValues(Path file, Map<String, TensorData> tensors, String prefix,
            Map<String, Parameter> parameters) {
        parameters.forEach((name, p) -> {
            TensorData saved = tensors.get(prefix + name);
            if (saved == null || !Arrays.equals(saved.shape(), p.getArray().getShape().getShape())) {
                throw new InputException(file + ": the checkpoint lacks " + prefix + name + " or holds another shape");
            }
            StateDict.setValues(p, saved.toFloats());
        });
    }

    /** CRC-32C over every tensor's name and bytes, in name order (hex). */
    static String checksum(Map<String, TensorData> tensors) {
        CRC32C crc = new CRC32C();
        for (Map.Entry<String, TensorData> e : new TreeMap<>(tensors).entrySet()) {
            crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            ByteBuffer data = e.getValue().data();
            crc.update(data);
        }
        return Long.toHexString(crc.getValue());
    }

    private static TensorData floats(NDArray array) {
        return TensorData.ofFloats(array.getShape().getShape(), array.toFloatArray());
    }

    private static NDArray array(TensorData data, NDManager manager) {
        return manager.create(data.toFloats(), new Shape(data.shape()));
    }
}
