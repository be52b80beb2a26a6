package dev.imet.train;

/**
 * A cross-cutting concern of training (progress, metrics table, best model, checkpoints), called by
 * {@link TrainingLoop} at fixed points with a narrow view of the loop. A listener keeps its own state; what it
 * needs of the run (the network to save, say) it is given when it is made. Listeners run in registration order.
 */
public interface TrainingListener {
    /** Before the first step of this process (at once for a resumed run). */
    default void onStart(TrainingContext run) {}

    /** After one optimiser step. */
    default void onStep(TrainingContext run, StepMetrics step) {}

    /** After a validation check; {@code check.improved()} tells whether it is the best so far. */
    default void onCheck(TrainingContext run, CheckMetrics check) {}

    /** When the loop stops: finished, stopped early, or interrupted. */
    default void onEnd(TrainingContext run, Ending ending) {}

    /** What listeners may see of the loop and ask of it. */
    interface TrainingContext {
        /** Steps completed so far. */
        long step();

        /** Steps of the whole run. */
        long totalSteps();

        /** Where the loop stands, as a checkpoint keeps it. */
        TrainingLoop.Progress progress();

        /** Asks the loop to stop after the current step. */
        void requestStop(String reason);
    }

    /** One optimiser step: the batch's loss and the rate the head trained at. */
    record StepMetrics(long step, long totalSteps, double epoch, double lr, double loss, int images,
            double seconds) {
        /** This step's images per second, the wait for its batch included. */
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

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

    /**
     * How the loop ended: after its last step ({@code stopReason} null), or stopped for a reason; interrupted
     * (Ctrl+C) is the one stop that a resumed run continues from.
     */
    record Ending(TrainingLoop.Progress progress, String stopReason, boolean interrupted) {
        public long step() {
            return progress.steps();
        }
    }
}
