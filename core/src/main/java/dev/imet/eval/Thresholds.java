package dev.imet.eval;

import dev.imet.common.InputException;
import dev.imet.data.LabelSet;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The probability threshold of the binarisation rule: one for every label, or one per label group; and optionally
 * thresholds of their own for some labels (by name), which take the place of their group's.
 */
public final class Thresholds {
    /** null when one global threshold applies. */
    private final Map<String, Double> byGroup;
    private final double global;
    /** Label name → its own threshold; empty when every label takes its group's. */
    private final Map<String, Double> byLabel;

    private Thresholds(double global, Map<String, Double> byGroup, Map<String, Double> byLabel) {
        this.global = global;
        this.byGroup = byGroup;
        this.byLabel = byLabel;
    }

    public static Thresholds global(double threshold) {
        return new Thresholds(checked("threshold", threshold), null, Map.of());
    }

    /** One threshold per group, in the order given. */
    public static Thresholds perGroup(Map<String, Double> byGroup) {
        if (byGroup.isEmpty()) {
            throw new IllegalArgumentException("no group thresholds");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        byGroup.forEach((group, threshold) ->
                copy.put(Objects.requireNonNull(group), checked("threshold of group " + group, threshold)));
        return new Thresholds(Double.NaN, Collections.unmodifiableMap(copy), Map.of());
    }

    /** These thresholds with the given labels (by name) taking thresholds of their own instead of their group's. */
    public Thresholds withLabelThresholds(Map<String, Double> labelThresholds) {
        Map<String, Double> copy = new LinkedHashMap<>();
        labelThresholds.forEach((label, threshold) ->
                copy.put(Objects.requireNonNull(label), checked("threshold of label " + label, threshold)));
        return new Thresholds(global, byGroup, Collections.unmodifiableMap(copy));
    }

    /** The labels with thresholds of their own (name → threshold), in the order given; empty when none. */
    public Map<String, Double> byLabel() {
        return byLabel;
    }

    /** The same group thresholds without thresholds of single labels. */
    public Thresholds withoutLabelThresholds() {
        return new Thresholds(global, byGroup, Map.of());
    }

    /**
     * Parses "0.15" (one threshold) or "culture=0.28,tag=0.10" (one per group); IllegalArgumentException
     * with a readable message otherwise.
     */
    public static Thresholds parse(String spec) {
        String text = spec.trim();
        if (!text.contains("=")) {
            return global(number(text, spec));
        }
        Map<String, Double> byGroup = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            String group = eq < 0 ? "" : part.substring(0, eq).trim();
            if (group.isEmpty()) {
                throw new IllegalArgumentException("expected GROUP=THRESHOLD in '" + spec + "', got '" + part + "'");
            }
            if (byGroup.put(group, number(part.substring(eq + 1).trim(), spec)) != null) {
                throw new IllegalArgumentException("group " + group + " given twice in '" + spec + "'");
            }
        }
        return perGroup(byGroup);
    }

    public boolean isGlobal() {
        return byGroup == null;
    }

    /** The threshold of a group; InputException when per-group thresholds do not name it. */
    public double forGroup(String group) {
        if (byGroup == null) {
            return global;
        }
        Double threshold = byGroup.get(group);
        if (threshold == null) {
            throw new InputException("no threshold for label group '" + group + "' in " + format());
        }
        return threshold;
    }

    /**
     * The threshold of every label as the float that probabilities are compared with: its own, else its group's.
     * InputException when a group of the labels has no threshold or a threshold names a group or a label the
     * labels do not have.
     */
    public float[] perLabel(LabelSet labels) {
        Map<String, Double> map = toMap(labels);
        float[] perLabel = new float[labels.size()];
        for (int id = 0; id < perLabel.length; id++) {
            perLabel[id] = (float) (double) map.get(labels.group(id));
        }
        if (!byLabel.isEmpty()) {
            Map<String, Integer> ids = new HashMap<>();
            for (int id = 0; id < labels.size(); id++) {
                ids.put(labels.name(id), id);
            }
            byLabel.forEach((label, threshold) -> {
                Integer id = ids.get(label);
                if (id == null) {
                    throw new InputException("threshold for unknown label '" + label + "'");
                }
                perLabel[id] = (float) (double) threshold;
            });
        }
        return perLabel;
    }

    /** Every group of the labels → its threshold, in the labels' group order (what model.json stores). */
    public Map<String, Double> toMap(LabelSet labels) {
        if (byGroup != null) {
            for (String group : byGroup.keySet()) {
                if (!labels.groups().contains(group)) {
                    throw new InputException("threshold for unknown label group '" + group + "' (groups: "
                            + String.join(", ", labels.groups()) + ")");
                }
            }
        }
        Map<String, Double> map = new LinkedHashMap<>();
        for (String group : labels.groups()) {
            map.put(group, forGroup(group));
        }
        return map;
    }

    /** The group thresholds in the form parse reads: "0.15" or "culture=0.28,tag=0.1" (not those of single labels). */
    public String format() {
        if (byGroup == null) {
            return plain(global);
        }
        StringJoiner joiner = new StringJoiner(",");
        byGroup.forEach((group, threshold) -> joiner.add(group + "=" + plain(threshold)));
        return joiner.toString();
    }

    /** What a reader is told: {@link #format()}, and how many labels have thresholds of their own. */
    public String describe() {
        return byLabel.isEmpty() ? format() : format() + " and " + byLabel.size() + " per-label threshold"
                + (byLabel.size() == 1 ? "" : "s");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Thresholds that && Objects.equals(byGroup, that.byGroup)
                && Double.compare(global, that.global) == 0 && byLabel.equals(that.byLabel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(byGroup, global, byLabel);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static double number(String text, String spec) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a threshold: '" + text + "' in '" + spec + "'");
        }
    }

    private static double checked(String what, double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1]: " + threshold);
        }
        return threshold;
    }
}
