package dev.imet.model;

import dev.imet.common.InputSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code model.json} of a model folder says about the network next to it.
 *
 * @param arch       registry name of the architecture
 * @param numClasses outputs of the classifier
 * @param labels     the attribute names in class-id order (numClasses of them)
 * @param input      the input the model was trained at: size and RGB normalisation
 * @param thresholds group → threshold once validated; null before
 * @param maxLabels  most labels per image the thresholds were chosen with; null before validation
 */
public record ModelInfo(String arch, int numClasses, List<String> labels, InputSpec input, Map<String, Double> thresholds, Integer maxLabels) {

    public ModelInfo {
        labels = List.copyOf(labels);
        thresholds = thresholds == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    }

    /** The same model with validated thresholds. */
    public ModelInfo withThresholds(Map<String, Double> newThresholds, Integer newMaxLabels) {
        return new ModelInfo(arch, numClasses, labels, input, newThresholds, newMaxLabels);
    }

}
