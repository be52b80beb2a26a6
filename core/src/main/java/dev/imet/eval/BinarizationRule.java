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
 * with p > the threshold of their group, at most maxLabels of them by probability, at most maxPerGroup[g]
 * within a group when given, and always the top label. Equal probabilities rank the lower label id first.
 */
public record BinarizationRule(Thresholds thresholds, int maxLabels, Map<String, Integer> maxPerGroup) {
    public static final int DEFAULT_MAX_LABELS = 10;

    public BinarizationRule {
        Objects.requireNonNull(thresholds, "thresholds");
        maxPerGroup = Collections.unmodifiableMap(new LinkedHashMap<>(maxPerGroup == null ? Map.of() : maxPerGroup));
        checkLimits(maxLabels, maxPerGroup);
    }

    public BinarizationRule(Thresholds thresholds, int maxLabels) {
        this(thresholds, maxLabels, Map.of());
    }

    /** The labels of the row probs[offset, offset + labels.size()), ascending. For many rows use {@link #forLabels}. */
    public int[] apply(float[] probs, int offset, LabelSet labels) {
        return forLabels(labels).apply(probs, offset);
    }

    /**
     * The rule prepared for one label set (group of every label, thresholds, caps). InputException when a
     * threshold or a cap names a group the labels do not have, or a group has no threshold.
     */
    public Binarizer forLabels(LabelSet labels) {
        List<String> groups = labels.groups();
        float[] thresholdByGroup = new float[groups.size()];
        Map<String, Double> thresholdMap = thresholds.toMap(labels);
        for (int g = 0; g < groups.size(); g++) {
            thresholdByGroup[g] = (float) (double) thresholdMap.get(groups.get(g));
        }
        return new Binarizer(candidates(labels, maxLabels, maxPerGroup), thresholdByGroup, maxLabels,
                caps(groups, maxLabels, maxPerGroup));
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
        private final float[] thresholdByGroup;
        private final int maxLabels;
        private final int[] capByGroup;

        private Binarizer(TopCandidates candidates, float[] thresholdByGroup, int maxLabels, int[] capByGroup) {
            this.candidates = candidates;
            this.thresholdByGroup = thresholdByGroup;
            this.maxLabels = maxLabels;
            this.capByGroup = capByGroup;
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
            int n = TopCandidates.keep(candProbs, groups, 0, count, thresholdByGroup, maxLabels, capByGroup,
                    new int[candidates.numGroups], kept);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = ids[kept[i]];
            }
            Arrays.sort(labels);
            return labels;
        }
    }
}
