package dev.imet.train;

/**
 * A cross-cutting concern of training (progress, metrics table, checkpoints, early stopping), called by
 * {@link TrainingLoop} at fixed points. Listeners run in registration order.
 */
public interface TrainingListener {
    /** After one optimiser step. */
    default void onStep(TrainingLoop loop, StepMetrics step) {}

    /** After a validation check; {@code check.improved()} tells whether it is the best so far. */
    default void onCheck(TrainingLoop loop, CheckMetrics check) {}

    /** When the loop stops (finished, early-stopped or interrupted) with {@code loop.state()} final. */
    default void onEnd(TrainingLoop loop, boolean interrupted) {}

    /** One optimiser step: the batch's loss and the rate the head trained at. */
    record StepMetrics(long step, long totalSteps, double epoch, double lr, double loss, double imagesPerSecond) {}

    /** One validation check. */
    record CheckMetrics(
            long step,
            double epoch,
            double lr,
            double trainLoss,
            double validLoss,
            double f2,
            double threshold,
            double imagesPerSecond,
            long residentMb,
            boolean improved) {}
}
