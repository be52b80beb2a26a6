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
 * @param labelThresholds label name → a threshold of its own, taking the place of its group's; null when none
 * @param labelCount the labels-per-image rule validate chose, used instead of the thresholds; null when none
 */
public record ModelInfo(String arch, int numClasses, List<String> labels, InputSpec input, Map<String, Double> thresholds,
        Integer maxLabels, Map<String, Double> labelThresholds, LabelCount labelCount) {

    /** A labels-per-image rule: the top round(scale * sum of probabilities + offset) labels (model.json's form). */
    public record LabelCount(double scale, double offset) {}

    public ModelInfo {
        labels = List.copyOf(labels);
        thresholds = thresholds == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
        labelThresholds = labelThresholds == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(labelThresholds));
    }

    /** A model with group thresholds only (or none yet). */
    public ModelInfo(String arch, int numClasses, List<String> labels, InputSpec input, Map<String, Double> thresholds,
            Integer maxLabels) {
        this(arch, numClasses, labels, input, thresholds, maxLabels, null, null);
    }

    /** The same model with validated thresholds (and no other rule). */
    public ModelInfo withThresholds(Map<String, Double> newThresholds, Integer newMaxLabels) {
        return withRule(newThresholds, newMaxLabels, null, null);
    }

    /** The same model with the rule validate chose: group thresholds, and per-label thresholds or a label count. */
    public ModelInfo withRule(Map<String, Double> newThresholds, Integer newMaxLabels,
            Map<String, Double> newLabelThresholds, LabelCount newLabelCount) {
        return new ModelInfo(arch, numClasses, labels, input, newThresholds, newMaxLabels, newLabelThresholds,
                newLabelCount);
    }
}
