package dev.imet.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import dev.imet.eval.BinarizationRule;
import dev.imet.eval.Thresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredThresholdsTest {
    @TempDir
    Path model;

    /** A model.json as validate leaves it (SPEC §3), with the given "thresholds" and "max_labels" members. */
    private void writeModelJson(String validated) throws IOException {
        Files.writeString(model.resolve("model.json"), "{\"arch\": \"resnet18\", \"num_classes\": 2,"
                + " \"labels\": [\"culture::a\", \"tag::b\"], \"image_size\": 32, \"mean\": [0.485, 0.456, 0.406],"
                + " \"std\": [0.229, 0.224, 0.225]" + validated + "}");
    }

    @Test
    void perGroupThresholdsAndTheModelsMaximum() throws IOException {
        writeModelJson(", \"thresholds\": {\"culture\": 0.28, \"tag\": 0.1}, \"max_labels\": 7");
        BinarizationRule rule = StoredThresholds.rule(model, null, Map.of("tag", 3));
        assertThat(rule.thresholds()).isEqualTo(Thresholds.perGroup(Map.of("culture", 0.28, "tag", 0.1)));
        assertThat(rule.maxLabels()).isEqualTo(7);
        assertThat(rule.maxPerGroup()).containsExactly(Map.entry("tag", 3));
    }

    @Test
    void oneValueForEveryGroupIsAGlobalThresholdAndAGivenMaximumWins() throws IOException {
        writeModelJson(", \"thresholds\": {\"culture\": 0.2, \"tag\": 0.2}, \"max_labels\": 7");
        BinarizationRule rule = StoredThresholds.rule(model, 4, null);
        assertThat(rule.thresholds()).isEqualTo(Thresholds.global(0.2));
        assertThat(rule.maxLabels()).isEqualTo(4);
    }

    @Test
    void withoutAStoredMaximumTheDefaultApplies() throws IOException {
        writeModelJson(", \"thresholds\": {\"default\": 0.15}");
        assertThat(StoredThresholds.rule(model, null, null).maxLabels()).isEqualTo(BinarizationRule.DEFAULT_MAX_LABELS);
    }

    @Test
    void aModelThatWasNotValidatedIsBadInputSayingWhatToRun() throws IOException {
        writeModelJson("");
        assertThatThrownBy(() -> StoredThresholds.rule(model, null, null)).isInstanceOf(InputException.class)
                .hasMessage(model.resolve("model.json") + ": no thresholds yet; run validate --model " + model + " first");
    }

    @Test
    void perLabelThresholdsAndALabelCountComeWithTheRule() throws IOException {
        writeModelJson(", \"thresholds\": {\"culture\": 0.28, \"tag\": 0.1}, \"max_labels\": 7,"
                + " \"label_thresholds\": {\"tag::b\": 0.4}");
        BinarizationRule own = StoredThresholds.rule(model, null, null);
        assertThat(own.thresholds().byLabel()).containsExactly(Map.entry("tag::b", 0.4));
        assertThat(own.labelCount()).isNull();
        writeModelJson(", \"thresholds\": {\"culture\": 0.28, \"tag\": 0.1}, \"max_labels\": 7,"
                + " \"labels_per_image\": {\"scale\": 1.5, \"offset\": -0.25}");
        BinarizationRule count = StoredThresholds.rule(model, 3, null);
        assertThat(count.labelCount()).isEqualTo(new dev.imet.eval.LabelCount(1.5, -0.25));
        assertThat(count.maxLabels()).isEqualTo(3);
    }
}
