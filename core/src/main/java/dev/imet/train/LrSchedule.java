package dev.imet.train;

import dev.imet.run.TrainConfig;

/**
 * The learning-rate factor (0..1, times each group's rate) at a training step. Stage 1 (head only) runs at a
 * constant factor 1; stage 2 warms up linearly over the first {@code warmupFraction} of its steps, then decays to
 * zero, linearly (triangular, the reference's) or along a half cosine.
 */
public record LrSchedule(long stage1Steps, long stage2Steps, double warmupFraction, TrainConfig.Decay decay) {

    public double factor(long step) {
        if (step < stage1Steps) {
            return 1.0;
        }
        long s = step - stage1Steps;
        if (stage2Steps <= 0) {
            return 0.0;
        }
        long warmup = Math.max(1, Math.round(stage2Steps * warmupFraction));
        if (s < warmup) {
            return (s + 1) / (double) warmup;
        }
        double progress = Math.min(1.0, (s - warmup + 1) / (double) Math.max(1, stage2Steps - warmup));
        return decay == TrainConfig.Decay.COSINE ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1.0 - progress;
    }

    public boolean inStage1(long step) {
        return step < stage1Steps;
    }
}
