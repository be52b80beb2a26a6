package dev.imet.train;

import dev.imet.run.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameter groups and stages of a ResNet-family network, from PyTorch parameter names.
 *
 * <p>Groups (each with its own learning rate, SPEC §4): 0 = stem, layer1, layer2 and the first half of layer3's
 * blocks; 1 = the second half of layer3 and layer4; 2 = the head ({@code fc.*}). Stages (for
 * {@code --freeze-stages N} freezes stages 0..N-1): 0 = stem (conv1, bn1), 1..4 = layer1..layer4, and the head
 * is never frozen. {@code --freeze-stages 3} leaves only layer3, layer4 and the head training: the reference's
 * "freezing" variant.
 */
public final class ParamGroups {
    public static final int COUNT = TrainConfig.LR_GROUPS;
    public static final int HEAD = 2;
    /** The stage of the head, which trains in both stages and is never frozen. */
    public static final int HEAD_STAGE = 5;

    private ParamGroups() {}

    /** The group of a parameter, given how many blocks its network's layer3 has. */
    public static int group(String name, int layer3Blocks) {
        if (name.startsWith("fc.")) {
            return HEAD;
        }
        if (name.startsWith("layer4.")) {
            return 1;
        }
        if (name.startsWith("layer3.")) {
            int block = Integer.parseInt(name.substring("layer3.".length(), name.indexOf('.', "layer3.".length())));
            return block >= (layer3Blocks + 1) / 2 ? 1 : 0;
        }
        return 0;
    }

    /** The group of every parameter of a network, by name. */
    public static Map<String, Integer> of(Iterable<String> names) {
        int layer3Blocks = layer3Blocks(names);
        Map<String, Integer> groups = new LinkedHashMap<>();
        names.forEach(n -> groups.put(n, group(n, layer3Blocks)));
        return groups;
    }

    /** The stage of a parameter: 0 for the stem, k for layerk, {@link #HEAD_STAGE} for the head. */
    public static int stage(String name) {
        for (int k = 1; k <= 4; k++) {
            if (name.startsWith("layer" + k + ".")) {
                return k;
            }
        }
        return name.startsWith("fc.") ? HEAD_STAGE : 0;
    }

    /** How many blocks layer3 has, from the parameter names. */
    public static int layer3Blocks(Iterable<String> names) {
        int max = -1;
        for (String n : names) {
            if (n.startsWith("layer3.")) {
                max = Math.max(max, Integer.parseInt(n.substring(7, n.indexOf('.', 7))));
            }
        }
        return max + 1;
    }
}
