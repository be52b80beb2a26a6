package dev.imet.train;

import dev.imet.common.Permutations;
import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al.): each image and its targets become lambda * itself + (1 - lambda) * a partner's from the
 * same batch, with one lambda ~ Beta(alpha, alpha) per batch. Done on the host arrays before they reach the
 * engine, which costs two passes over the batch, nothing next to the network.
 */
public final class Mixup {
    private Mixup() {}

    /** Mixes {@code images} (n x imageLen) and {@code targets} (n x numClasses) in place; returns lambda. */
    public static double apply(float[] images, float[] targets, int n, SplittableRandom rng, double alpha) {
        double lambda = beta(alpha, rng);
        int[] partner = Permutations.random(n, rng);
        mix(images, images.length / n, partner, lambda);
        mix(targets, targets.length / n, partner, lambda);
        return lambda;
    }

    private static void mix(float[] data, int rowLength, int[] partner, double lambda) {
        float[] original = data.clone();
        float a = (float) lambda;
        float b = (float) (1 - lambda);
        for (int i = 0; i < partner.length; i++) {
            int dst = i * rowLength;
            int src = partner[i] * rowLength;
            for (int k = 0; k < rowLength; k++) {
                data[dst + k] = a * original[dst + k] + b * original[src + k];
            }
        }
    }

    /** A Beta(alpha, alpha) sample from two Gamma(alpha) samples. */
    static double beta(double alpha, SplittableRandom rng) {
        double x = gamma(alpha, rng);
        double y = gamma(alpha, rng);
        return x / (x + y);
    }

    /** Marsaglia and Tsang's Gamma(shape, 1) sampler, boosted for shape < 1. */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(shape + 1, rng) * Math.pow(Math.max(u, Double.MIN_VALUE), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = Math.max(rng.nextDouble(), Double.MIN_VALUE);
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
