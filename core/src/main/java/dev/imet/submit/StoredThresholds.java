package dev.imet.submit;

import dev.imet.common.InputException;
import dev.imet.eval.BinarizationRule;
import dev.imet.eval.LabelCount;
import dev.imet.eval.Thresholds;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import java.nio.file.Path;
import java.util.Map;

/** The binarisation rule validate stored in a model folder, as make-submission takes it (--thresholds-from). */
public final class StoredThresholds {
    private StoredThresholds() {}

    /**
     * The rule of {@code modelDir/model.json}: its thresholds (one value for every group is read as one global
     * threshold) with the labels' own thresholds when validate chose them, or its labels-per-image rule when
     * validate chose that; at most {@code maxLabels} labels when given, else the maximum the rule was chosen with,
     * else the default. InputException when the model has not been validated yet; IllegalArgumentException for
     * a maximum below 1.
     */
    public static BinarizationRule rule(Path modelDir, Integer maxLabels, Map<String, Integer> maxPerGroup) {
        ModelInfo info = ModelFolder.readInfo(modelDir);
        Map<String, Double> byGroup = info.thresholds();
        if (byGroup == null) {
            throw new InputException(modelDir.resolve(ModelFolder.INFO_FILE)
                    + ": no thresholds yet; run validate --model " + modelDir + " first");
        }
        Thresholds thresholds = byGroup.values().stream().distinct().count() == 1
                ? Thresholds.global(byGroup.values().iterator().next()) : Thresholds.perGroup(byGroup);
        if (info.labelThresholds() != null) {
            thresholds = thresholds.withLabelThresholds(info.labelThresholds());
        }
        LabelCount labelCount = info.labelCount() == null ? null
                : new LabelCount(info.labelCount().scale(), info.labelCount().offset());
        int max = maxLabels != null ? maxLabels
                : info.maxLabels() != null ? info.maxLabels() : BinarizationRule.DEFAULT_MAX_LABELS;
        return new BinarizationRule(thresholds, max, maxPerGroup, labelCount);
    }
}
