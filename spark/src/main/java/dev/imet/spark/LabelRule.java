package dev.imet.spark;

import dev.imet.data.LabelSet;
import dev.imet.eval.BinarizationRule;
import dev.imet.eval.Thresholds;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.submit.StoredThresholds;
import dev.imet.submit.Submission;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which labels a row of probabilities gets: make-submission's rule with the thresholds and maximum that validate
 * stored in the model's {@code model.json} ({@code make-submission --thresholds-from MODEL}); for a model not
 * validated yet, make-submission's defaults (threshold 0.1, at most 10 labels).
 *
 * @param stored whether the thresholds are the model's own
 */
record LabelRule(BinarizationRule rule, boolean stored) {
    static LabelRule of(Path modelDir) {
        ModelInfo info = ModelFolder.readInfo(modelDir);
        if (info.thresholds() != null) {
            return new LabelRule(StoredThresholds.rule(modelDir, null, null), true);
        }
        return new LabelRule(new BinarizationRule(Thresholds.global(Submission.DEFAULT_THRESHOLD),
                BinarizationRule.DEFAULT_MAX_LABELS), false);
    }

    /** The rule bound to the model's labels; an InputException when a threshold names a group they lack. */
    BinarizationRule.Binarizer forModel(ModelInfo info) {
        return rule.forLabels(new LabelSet(info.labels()));
    }

    /** For the summary line: "threshold 0.15, max labels 10 (model.json)". */
    String describe() {
        return String.format(Locale.ROOT, "threshold %s, max labels %d (%s)", rule.thresholds().format(),
                rule.maxLabels(), stored ? ModelFolder.INFO_FILE : "not validated yet: make-submission's defaults");
    }
}
