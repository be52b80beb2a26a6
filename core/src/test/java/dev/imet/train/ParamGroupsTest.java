package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParamGroupsTest {
    @Test
    void layer3IsSplitInHalvesAndTheHeadIsItsOwnGroup() {
        // resnet50: layer3 has 6 blocks, 0-2 in the first group, 3-5 in the second
        assertThat(ParamGroups.group("conv1.weight", 6)).isZero();
        assertThat(ParamGroups.group("layer2.3.bn1.weight", 6)).isZero();
        assertThat(ParamGroups.group("layer3.2.conv1.weight", 6)).isZero();
        assertThat(ParamGroups.group("layer3.3.conv1.weight", 6)).isEqualTo(1);
        assertThat(ParamGroups.group("layer4.0.downsample.0.weight", 6)).isEqualTo(1);
        assertThat(ParamGroups.group("fc.bias", 6)).isEqualTo(ParamGroups.HEAD);
    }

    @Test
    void stagesFollowTheLayers() {
        assertThat(ParamGroups.stage("bn1.bias")).isZero();
        assertThat(ParamGroups.stage("layer1.0.conv1.weight")).isEqualTo(1);
        assertThat(ParamGroups.stage("layer4.2.se.fc1.weight")).isEqualTo(4);
        assertThat(ParamGroups.stage("fc.weight")).isEqualTo(5);
    }

    @Test
    void countsLayer3Blocks() {
        assertThat(ParamGroups.layer3Blocks(List.of("layer3.0.conv1.weight", "layer3.22.bn3.bias", "fc.weight")))
                .isEqualTo(23);
    }
}
