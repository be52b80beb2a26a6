package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixupTest {
    @Test
    void mixesImagesAndTargetsWithTheSameWeightAndPartner() {
        int n = 4;
        float[] images = new float[n * 3];
        float[] targets = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                images[i * 3 + k] = i;
            }
            targets[i * 2] = i;
        }
        double lambda = Mixup.apply(images, targets, n, new SplittableRandom(7), 0.2);
        assertThat(lambda).isBetween(0.0, 1.0);
        for (int i = 0; i < n; i++) {
            // image i = lambda * i + (1 - lambda) * partner; the target carries the same mixture
            double partner = (images[i * 3] - lambda * i) / (1 - lambda);
            assertThat(partner).isCloseTo(Math.rint(partner), within(1e-3));
            assertThat((double) targets[i * 2]).isCloseTo(images[i * 3], within(1e-5));
            assertThat(images[i * 3 + 2]).isEqualTo(images[i * 3]);
        }
    }

    @Test
    void betaSamplesHaveTheRightMean() {
        SplittableRandom rng = new SplittableRandom(1);
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double b = Mixup.beta(0.2, rng);
            assertThat(b).isBetween(0.0, 1.0);
            sum += b;
        }
        assertThat(sum / n).isCloseTo(0.5, within(0.02));
    }

    @Test
    void gammaSamplesHaveTheRightMean() {
        SplittableRandom rng = new SplittableRandom(3);
        for (double shape : new double[] {0.3, 1.0, 4.0}) {
            double sum = 0;
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                sum += Mixup.gamma(shape, rng);
            }
            assertThat(sum / n).isCloseTo(shape, within(0.05 * shape + 0.01));
        }
    }
}
