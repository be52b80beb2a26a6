package dev.imet.model;

import dev.imet.common.InputException;
import dev.imet.common.InputSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architectures {@code --arch} knows. All but {@code tiny_resnet} are their PyTorch originals parameter for
 * parameter (torchvision for ResNet and ResNeXt, timm's layout for SE-ResNeXt), so their weights files load here
 * and ours load there. {@code tiny_resnet} exists for tests and the sample-data demo: torchvision's structure
 * (basic blocks, one per stage) at a quarter of the width, with no PyTorch original and no pretrained weights.
 */
public final class ModelRegistry {
    /** ImageNet's statistics, which every pretrained torchvision / timm ResNet expects. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** The reference solution's input size. */
    public static final int DEFAULT_IMAGE_SIZE = 320;
    /** The reference solution's input: ImageNet-normalised at 320 px. */
    public static final InputSpec IMAGENET_INPUT = new InputSpec(DEFAULT_IMAGE_SIZE, IMAGENET_MEAN, IMAGENET_STD);

    private static final Map<String, ModelSpec> SPECS = new LinkedHashMap<>();

    static {
        add("resnet18", ResNetLayout.basic(2, 2, 2, 2), "torchvision.models.resnet18");
        add("resnet34", ResNetLayout.basic(3, 4, 6, 3), "torchvision.models.resnet34");
        add("resnet50", ResNetLayout.bottleneck(1, 64, false, 3, 4, 6, 3), "torchvision.models.resnet50");
        add("resnet101", ResNetLayout.bottleneck(1, 64, false, 3, 4, 23, 3), "torchvision.models.resnet101");
        add("resnext50_32x4d", ResNetLayout.bottleneck(32, 4, false, 3, 4, 6, 3), "torchvision.models.resnext50_32x4d");
        add("seresnext50_32x4d", ResNetLayout.bottleneck(32, 4, true, 3, 4, 6, 3), "timm seresnext50_32x4d");
        add("seresnext101_32x4d", ResNetLayout.bottleneck(32, 4, true, 3, 4, 23, 3), "timm seresnext101_32x4d");
        SPECS.put("tiny_resnet", new ModelSpec("tiny_resnet", IMAGENET_INPUT.withSize(64),
                new ResNetLayout(false, new int[] {1, 1, 1, 1}, 1, 64, 16, new int[] {16, 32, 64, 128}, false), null));
    }

    private ModelRegistry() {}

    private static void add(String name, ResNetLayout layout, String origin) {
        SPECS.put(name, new ModelSpec(name, IMAGENET_INPUT, layout, origin));
    }

    /** The architecture called {@code arch}; an InputException listing the known names if there is none. */
    public static ModelSpec get(String arch) {
        ModelSpec spec = SPECS.get(arch);
        if (spec == null) {
            throw new InputException("unknown architecture '" + arch + "'; known: " + String.join(", ", names()));
        }
        return spec;
    }

    public static List<String> names() {
        return List.copyOf(SPECS.keySet());
    }
}
