package dev.imet.train;

import java.nio.file.Path;

/**
 * Everything a training run needs, resolved from the command line once and never changed afterwards.
 * Written next to the run's outputs as {@code config.json} (with {@link Provenance}).
 */
public record TrainConfig(
        Path data,
        Path folds,
        int fold,
        String arch,
        int imageSize,
        int batchSize,
        int epochs,
        int headEpochs,
        double lr,
        double[] lrRatios,
        double weightDecay,
        double warmupFraction,
        LrSchedule.Shape schedule,
        int freezeStages,
        LossKind loss,
        double mixupAlpha,
        double clipNorm,
        double validEvery,
        int earlyStop,
        Path pretrained,
        String prefixMap,
        Path runDir,
        long seed,
        int workers,
        int maxLabels,
        long limitStepsPerEpoch) {

    /** The training losses of SPEC §4. */
    public enum LossKind {
        FOCAL,
        BCE
    }

    public TrainConfig {
        if (lrRatios.length != ParamGroups.COUNT) {
            throw new IllegalArgumentException("lr ratios: need " + ParamGroups.COUNT + " values, got " + lrRatios.length);
        }
        lrRatios = lrRatios.clone();
    }

    @Override
    public double[] lrRatios() {
        return lrRatios.clone();
    }

    /** The learning rate of a parameter group at full schedule factor. */
    public double groupLr(int group) {
        return lr * lrRatios[group];
    }
}
