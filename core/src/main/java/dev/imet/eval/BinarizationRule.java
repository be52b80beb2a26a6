package dev.imet.eval;

import dev.imet.common.InputException;
import dev.imet.data.LabelSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a probability row becomes labels (SPEC §5), the same in validation and submission: keep the labels
 * with p > the threshold of their group (or their own, {@link Thresholds#byLabel()}), at most maxLabels of them by
 * probability, at most maxPerGroup[g] within a group when given, and always the top label. Equal probabilities rank
 * the lower label id first. With a {@link LabelCount} the row keeps instead its top k labels, k from the row's
 * probability sum (the same caps apply; the thresholds do not).
 *
 * @param labelCount the labels-per-image rule, or null for thresholds
 */
public record BinarizationRule(Thresholds thresholds, int maxLabels, Map<String, Integer> maxPerGroup,
        LabelCount labelCount) {
    public static final int DEFAULT_MAX_LABELS = 10;

    public BinarizationRule {
        Objects.requireNonNull(thresholds, "thresholds");
        maxPerGroup = Collections.unmodifiableMap(new LinkedHashMap<>(maxPerGroup == null ? Map.of() : maxPerGroup));
        checkLimits(maxLabels, maxPerGroup);
    }

    public BinarizationRule(Thresholds thresholds, int maxLabels, Map<String, Integer> maxPerGroup) {
        this(thresholds, maxLabels, maxPerGroup, null);
    }

    public BinarizationRule(Thresholds thresholds, int maxLabels) {
        this(thresholds, maxLabels, Map.of());
    }

    /** What the rule does, for a reader: the thresholds, or the labels-per-image rule. */
    public String describe() {
        return labelCount != null ? labelCount.describe(maxLabels) : thresholds.describe();
    }

    /** The labels of the row probs[offset, offset + labels.size()), ascending. For many rows use {@link #forLabels}. */
    public int[] apply(float[] probs, int offset, LabelSet labels) {
        return forLabels(labels).apply(probs, offset);
    }

    /**
     * The rule prepared for one label set (group of every label, thresholds, caps). InputException when a
     * threshold or a cap names a group or a label the labels do not have, or a group has no threshold.
     */
    public Binarizer forLabels(LabelSet labels) {
        List<String> groups = labels.groups();
        return new Binarizer(candidates(labels, maxLabels, maxPerGroup), thresholds.perLabel(labels), maxLabels,
                caps(groups, maxLabels, maxPerGroup), labelCount);
    }

    /** IllegalArgumentException unless maxLabels and every group's maximum are at least 1. */
    static void checkLimits(int maxLabels, Map<String, Integer> maxPerGroup) {
        if (maxLabels < 1) {
            throw new IllegalArgumentException("max labels must be at least 1: " + maxLabels);
        }
        maxPerGroup.forEach((group, max) -> {
            if (max < 1) {
                throw new IllegalArgumentException("max labels of group " + group + " must be at least 1: " + max);
            }
        });
    }

    /** Per group, the most labels the rule may keep: the group's cap, or maxLabels. */
    static int[] caps(List<String> groups, int maxLabels, Map<String, Integer> maxPerGroup) {
        for (String group : maxPerGroup.keySet()) {
            if (!groups.contains(group)) {
                throw new InputException("max labels for unknown label group '" + group + "' (groups: "
                        + String.join(", ", groups) + ")");
            }
        }
        int[] caps = new int[groups.size()];
        for (int g = 0; g < caps.length; g++) {
            caps[g] = Math.min(maxLabels, maxPerGroup.getOrDefault(groups.get(g), maxLabels));
        }
        return caps;
    }

    static TopCandidates candidates(LabelSet labels, int maxLabels, Map<String, Integer> maxPerGroup) {
        List<String> groups = labels.groups();
        return new TopCandidates(TopCandidates.groupIndex(labels), groups.size(), caps(groups, maxLabels, maxPerGroup));
    }

    /** The rule bound to one label set; immutable and safe to share between threads. */
    public static final class Binarizer {
        private final TopCandidates candidates;
        private final float[] thresholdByLabel;
        private final int maxLabels;
        private final int[] capByGroup;
        private final LabelCount labelCount;

        private Binarizer(TopCandidates candidates, float[] thresholdByLabel, int maxLabels, int[] capByGroup,
                LabelCount labelCount) {
            this.candidates = candidates;
            this.thresholdByLabel = thresholdByLabel;
            this.maxLabels = maxLabels;
            this.capByGroup = capByGroup;
            this.labelCount = labelCount;
        }

        public int numClasses() {
            return candidates.groupOf.length;
        }

        /** The labels of the row probs[offset, offset + numClasses()), ascending. */
        public int[] apply(float[] probs, int offset) {
            int width = candidates.width;
            int[] ids = new int[width];
            float[] candProbs = new float[width];
            int[] groups = new int[width];
            int count = candidates.select(probs, offset, ids, candProbs, groups, 0);
            int[] kept = new int[width];
            int[] taken = new int[candidates.numGroups];
            int n = labelCount != null
                    ? TopCandidates.keepTop(groups, 0, count, labelCount.count(
                            LabelCount.probabilitySum(probs, offset, numClasses()), maxLabels), capByGroup, taken, kept)
                    : TopCandidates.keepByLabel(candProbs, ids, groups, 0, count, thresholdByLabel, maxLabels,
                            capByGroup, taken, kept);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = ids[kept[i]];
            }
            Arrays.sort(labels);
            return labels;
        }
    }
}
