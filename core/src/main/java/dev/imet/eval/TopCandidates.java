package dev.imet.eval;

import dev.imet.data.LabelSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The core of the binarisation rule, shared by {@link BinarizationRule} and {@link ThresholdSearch} so both
 * decide labels in exactly the same way. A row's labels are ranked by probability, descending, ties to the
 * lower id. Only the top {@code limit[g]} labels of each group can ever be kept (within a group a threshold
 * keeps a prefix of that ranking, and no more than the group's cap and maxLabels fit), so the rule first
 * selects those candidates and then walks them in rank order.
 */
final class TopCandidates {
    /** Group index of every label. */
    final int[] groupOf;
    final int numGroups;
    /** How many labels of each group may become candidates. */
    final int[] limit;
    /** Upper bound on the candidates of one row. */
    final int width;
    private final int maxLimit;

    TopCandidates(int[] groupOf, int numGroups, int[] limit) {
        this.groupOf = groupOf;
        this.numGroups = numGroups;
        this.limit = limit;
        int[] groupSize = new int[numGroups];
        for (int group : groupOf) {
            groupSize[group]++;
        }
        int sum = 0;
        for (int g = 0; g < numGroups; g++) {
            sum += Math.min(limit[g], groupSize[g]);
        }
        this.width = sum;
        int max = 0;
        for (int l : limit) {
            max = Math.max(max, l);
        }
        this.maxLimit = max;
    }

    /** Group index of every label, indices in labels.groups() order. */
    static int[] groupIndex(LabelSet labels) {
        List<String> groups = labels.groups();
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            index.put(groups.get(g), g);
        }
        int[] groupOf = new int[labels.size()];
        for (int id = 0; id < groupOf.length; id++) {
            groupOf[id] = index.get(labels.group(id));
        }
        return groupOf;
    }

    /**
     * Writes the row's candidates, ranked, into ids/probs/groups from position {@code at}; returns how many.
     * The row is probs[offset, offset + groupOf.length).
     */
    int select(float[] probs, int offset, int[] ids, float[] candProbs, int[] groups, int at) {
        // Per group, a small array kept sorted by rank; labels arrive in id order, so an equal probability
        // never displaces an earlier (lower) id.
        int[] topIds = new int[numGroups * maxLimit];
        float[] topProbs = new float[numGroups * maxLimit];
        int[] size = new int[numGroups];
        for (int id = 0; id < groupOf.length; id++) {
            int g = groupOf[id];
            int cap = limit[g];
            int n = size[g];
            float p = probs[offset + id];
            int base = g * maxLimit;
            if (n == cap && !(p > topProbs[base + n - 1])) {
                continue;
            }
            int pos = n == cap ? n - 1 : n;
            while (pos > 0 && p > topProbs[base + pos - 1]) {
                topProbs[base + pos] = topProbs[base + pos - 1];
                topIds[base + pos] = topIds[base + pos - 1];
                pos--;
            }
            topProbs[base + pos] = p;
            topIds[base + pos] = id;
            if (n < cap) {
                size[g] = n + 1;
            }
        }
        // Merge the groups' lists into one ranking.
        int count = 0;
        for (int g = 0; g < numGroups; g++) {
            for (int i = 0; i < size[g]; i++) {
                int id = topIds[g * maxLimit + i];
                float p = topProbs[g * maxLimit + i];
                int pos = at + count;
                while (pos > at && ranksBefore(p, id, candProbs[pos - 1], ids[pos - 1])) {
                    candProbs[pos] = candProbs[pos - 1];
                    ids[pos] = ids[pos - 1];
                    groups[pos] = groups[pos - 1];
                    pos--;
                }
                candProbs[pos] = p;
                ids[pos] = id;
                groups[pos] = g;
                count++;
            }
        }
        return count;
    }

    private static boolean ranksBefore(float p, int id, float otherP, int otherId) {
        return p > otherP || (p == otherP && id < otherId);
    }

    /**
     * The rule proper: walks a row's ranked candidates [from, from + count) and keeps those with a
     * probability above their group's threshold, while fewer than maxLabels are kept and fewer than the
     * group's cap; the first candidate (the top label) is always kept. Writes the kept positions (relative
     * to from) into kept and returns how many.
     */
    static int keep(float[] candProbs, int[] groups, int from, int count, float[] thresholdByGroup, int maxLabels,
                    int[] capByGroup, int[] takenByGroup, int[] kept) {
        Arrays.fill(takenByGroup, 0);
        int n = 0;
        for (int j = 0; j < count && n < maxLabels; j++) {
            int g = groups[from + j];
            if (j > 0 && !(candProbs[from + j] > thresholdByGroup[g])) {
                continue;
            }
            if (takenByGroup[g] >= capByGroup[g]) {
                continue;
            }
            takenByGroup[g]++;
            kept[n++] = j;
        }
        return n;
    }

    /**
     * As {@link #keep}, with a threshold per label rather than per group: candidate j is compared with
     * {@code thresholdByLabel[ids[from + j]]}. With every label at its group's threshold it keeps what keep keeps.
     */
    static int keepByLabel(float[] candProbs, int[] ids, int[] groups, int from, int count, float[] thresholdByLabel,
                           int maxLabels, int[] capByGroup, int[] takenByGroup, int[] kept) {
        Arrays.fill(takenByGroup, 0);
        int n = 0;
        for (int j = 0; j < count && n < maxLabels; j++) {
            int g = groups[from + j];
            if (j > 0 && !(candProbs[from + j] > thresholdByLabel[ids[from + j]])) {
                continue;
            }
            if (takenByGroup[g] >= capByGroup[g]) {
                continue;
            }
            takenByGroup[g]++;
            kept[n++] = j;
        }
        return n;
    }

    /**
     * The labels-per-image walk: keeps the first {@code k} candidates in rank order that fit their group's cap
     * (k at most maxLabels); writes their positions into kept and returns how many.
     */
    static int keepTop(int[] groups, int from, int count, int k, int[] capByGroup, int[] takenByGroup, int[] kept) {
        Arrays.fill(takenByGroup, 0);
        int n = 0;
        for (int j = 0; j < count && n < k; j++) {
            int g = groups[from + j];
            if (takenByGroup[g] >= capByGroup[g]) {
                continue;
            }
            takenByGroup[g]++;
            kept[n++] = j;
        }
        return n;
    }
}
