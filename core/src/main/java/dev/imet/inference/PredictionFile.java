package dev.imet.inference;

import dev.imet.common.InputException;
import dev.imet.common.Npz;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A prediction file (SPEC §6): probabilities of every label for a list of image ids, stored as numpy.savez
 * writes them: {@code ids} (strings) and {@code probs} (float32, ids × classes), so that
 * {@code numpy.load(f)["probs"]} reads it in Python.
 */
public record PredictionFile(List<String> ids, int numClasses, float[] probs) {
    public PredictionFile {
        ids = List.copyOf(ids);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1: " + numClasses);
        }
        if ((long) ids.size() * numClasses != probs.length) {
            throw new IllegalArgumentException(probs.length + " probabilities for " + ids.size() + " ids x "
                    + numClasses + " classes");
        }
    }

    /** Writes the file atomically. */
    public void write(Path npz) {
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        arrays.put("ids", new Npz.Strings(ids));
        arrays.put("probs", new Npz.Floats(new int[] {ids.size(), numClasses}, probs));
        Npz.write(npz, arrays);
    }

    /**
     * Reads a prediction file; InputException naming the file when it is not an .npz with a 1-D string
     * array ids and a 2-D float array probs of one row per id, or when an id repeats or a probability is
     * not a number in [0, 1] (NaN, an infinity, below 0 or above 1).
     */
    public static PredictionFile read(Path npz) {
        Map<String, Npz.Array> arrays = Npz.read(npz, "ids", "probs");
        if (!(arrays.get("ids") instanceof Npz.Strings ids)) {
            throw new InputException(npz + ": array 'ids' must hold strings");
        }
        if (!(arrays.get("probs") instanceof Npz.Floats probs) || probs.shape().length != 2) {
            throw new InputException(npz + ": array 'probs' must be a 2-D float array (ids x classes)");
        }
        int rows = probs.shape()[0];
        int numClasses = probs.shape()[1];
        if (rows != ids.values().size()) {
            throw new InputException(npz + ": " + ids.values().size() + " ids but " + rows + " rows of probabilities");
        }
        if (numClasses < 1) {
            throw new InputException(npz + ": array 'probs' has no columns");
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids.values()) {
            if (!seen.add(id)) {
                throw new InputException(npz + ": duplicate id " + id);
            }
        }
        float[] values = probs.values();
        for (int i = 0; i < values.length; i++) {
            // NaN fails this test too; an infinity or a value outside [0, 1] would survive into a plausible submission.
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new InputException(npz + ": id " + ids.values().get(i / numClasses) + " has probability "
                        + (Float.isNaN(values[i]) ? "NaN, which is not a number" : values[i] + ", outside [0, 1]")
                        + " (label " + i % numClasses + ")");
            }
        }
        return new PredictionFile(ids.values(), numClasses, values);
    }
}
