package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdamWTest {
    @Test
    void clipScaleLeavesSmallGradientsAlone() {
        assertThat(AdamW.clipScale(3.0, 10)).isEqualTo(1.0);
        assertThat(AdamW.clipScale(20.0, 10)).isCloseTo(0.5, within(1e-6));
        assertThat(AdamW.clipScale(20.0, 0)).isEqualTo(1.0);
        assertThat(AdamW.clipScale(Double.NaN, 10)).isEqualTo(1.0);
    }
}
