package dev.imet.model;

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
 * @param imageSize  input side in pixels the model was trained at
 * @param mean       RGB normalisation mean
 * @param std        RGB normalisation standard deviation
 * @param thresholds group → threshold once validated; null before
 * @param maxLabels  most labels per image the thresholds were chosen with; null before validation
 */
public record ModelInfo(String arch, int numClasses, List<String> labels, int imageSize, float[] mean, float[] std,
                        Map<String, Double> thresholds, Integer maxLabels) {

    public ModelInfo {
        labels = List.copyOf(labels);
        mean = mean.clone();
        std = std.clone();
        thresholds = thresholds == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    }

    /** The same model with validated thresholds. */
    public ModelInfo withThresholds(Map<String, Double> newThresholds, Integer newMaxLabels) {
        return new ModelInfo(arch, numClasses, labels, imageSize, mean, std, newThresholds, newMaxLabels);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
