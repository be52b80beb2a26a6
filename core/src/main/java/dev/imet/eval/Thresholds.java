package dev.imet.eval;

import dev.imet.common.InputException;
import dev.imet.data.LabelSet;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/** The probability threshold of the binarisation rule: one for every label, or one per label group. */
public final class Thresholds {
    /** null when one global threshold applies. */
    private final Map<String, Double> byGroup;
    private final double global;

    private Thresholds(double global, Map<String, Double> byGroup) {
        this.global = global;
        this.byGroup = byGroup;
    }

    public static Thresholds global(double threshold) {
        return new Thresholds(checked("threshold", threshold), null);
    }

    /** One threshold per group, in the order given. */
    public static Thresholds perGroup(Map<String, Double> byGroup) {
        if (byGroup.isEmpty()) {
            throw new IllegalArgumentException("no group thresholds");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        byGroup.forEach((group, threshold) ->
                copy.put(Objects.requireNonNull(group), checked("threshold of group " + group, threshold)));
        return new Thresholds(Double.NaN, Collections.unmodifiableMap(copy));
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
     * The threshold of every label as the float that probabilities are compared with. InputException when
     * a group of the labels has no threshold or a threshold names a group the labels do not have.
     */
    public float[] perLabel(LabelSet labels) {
        Map<String, Double> map = toMap(labels);
        float[] perLabel = new float[labels.size()];
        for (int id = 0; id < perLabel.length; id++) {
            perLabel[id] = (float) (double) map.get(labels.group(id));
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

    /** The form parse reads: "0.15" or "culture=0.28,tag=0.1". */
    public String format() {
        if (byGroup == null) {
            return plain(global);
        }
        StringJoiner joiner = new StringJoiner(",");
        byGroup.forEach((group, threshold) -> joiner.add(group + "=" + plain(threshold)));
        return joiner.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Thresholds that && Objects.equals(byGroup, that.byGroup)
                && Double.compare(global, that.global) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(byGroup, global);
    }

    @Override
    public String toString() {
        return format();
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
