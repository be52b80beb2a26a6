package dev.imet.model;

import java.util.Arrays;

/**
 * The shape of a torchvision-style ResNet: which residual block, how many per stage, and the widths. With
 * the torchvision defaults (stem 64, stage planes 64/128/256/512, one group of width 64) it is torchvision's
 * ResNet; groups 32 x width 4 make it ResNeXt; {@code squeezeExcitation} adds timm's SE module to each
 * bottleneck.
 *
 * @param bottleneck        true: 1x1-3x3-1x1 bottleneck blocks (expansion 4); false: two 3x3 convs (expansion 1)
 * @param blocksPerStage    residual blocks in layer1..layer4
 * @param groups            groups of the 3x3 conv in a bottleneck
 * @param widthPerGroup     torchvision's {@code width_per_group}: a bottleneck is planes * widthPerGroup / 64 * groups wide
 * @param stemWidth         output channels of the 7x7 stem conv
 * @param stagePlanes       torchvision's {@code planes} of layer1..layer4
 * @param squeezeExcitation SE module (reduction 16) after bn3, before the residual addition
 */
public record ResNetLayout(
        boolean bottleneck,
        int[] blocksPerStage,
        int groups,
        int widthPerGroup,
        int stemWidth,
        int[] stagePlanes,
        boolean squeezeExcitation) {

    public static final int BOTTLENECK_EXPANSION = 4;
    public static final int SE_REDUCTION = 16;
    private static final int[] TORCHVISION_PLANES = {64, 128, 256, 512};

    public ResNetLayout {
        if (blocksPerStage.length != 4 || stagePlanes.length != 4) {
            throw new IllegalArgumentException("a ResNet has four stages");
        }
        if (!bottleneck && (groups != 1 || widthPerGroup != 64 || squeezeExcitation)) {
            throw new IllegalArgumentException("basic blocks support neither groups, width per group nor SE");
        }
        blocksPerStage = blocksPerStage.clone();
        stagePlanes = stagePlanes.clone();
    }

    /** torchvision's ResNet with basic blocks (resnet18, resnet34). */
    public static ResNetLayout basic(int... blocksPerStage) {
        return new ResNetLayout(false, blocksPerStage, 1, 64, 64, TORCHVISION_PLANES, false);
    }

    /** torchvision's ResNet / ResNeXt with bottleneck blocks, optionally with timm's SE modules. */
    public static ResNetLayout bottleneck(int groups, int widthPerGroup, boolean squeezeExcitation, int... blocksPerStage) {
        return new ResNetLayout(true, blocksPerStage, groups, widthPerGroup, 64, TORCHVISION_PLANES, squeezeExcitation);
    }

    /** Channels a block of a stage with these planes puts out. */
    int outputChannels(int planes) {
        return bottleneck ? planes * BOTTLENECK_EXPANSION : planes;
    }

    /** Channels of the last stage: the classifier's input features. */
    public int featureChannels() {
        return outputChannels(stagePlanes[3]);
    }

    @Override
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    @Override
    public int[] stagePlanes() {
        return stagePlanes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetLayout l && bottleneck == l.bottleneck && groups == l.groups
                && widthPerGroup == l.widthPerGroup && stemWidth == l.stemWidth
                && squeezeExcitation == l.squeezeExcitation && Arrays.equals(blocksPerStage, l.blocksPerStage)
                && Arrays.equals(stagePlanes, l.stagePlanes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(blocksPerStage) + Arrays.hashCode(stagePlanes) + (bottleneck ? 1 : 0);
    }

    @Override
    public String toString() {
        return (bottleneck ? "bottleneck" : "basic") + Arrays.toString(blocksPerStage) + " groups " + groups
                + " width/group " + widthPerGroup + " stem " + stemWidth + " planes " + Arrays.toString(stagePlanes)
                + (squeezeExcitation ? " +SE" : "");
    }
}
