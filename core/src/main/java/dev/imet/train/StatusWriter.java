package dev.imet.train;

import dev.imet.run.RunStatus;
import dev.imet.run.RunFolder;
import java.time.Instant;

/**
 * Keeps the run's {@code status.json} up to date: running at the start and at every check, then how it ended. The
 * training time adds up over the processes that worked on the run.
 */
public final class StatusWriter implements TrainingListener {
    private final RunFolder run;
    private final EarlyStopping earlyStopping;
    private final double earlierSeconds;
    private final long pid = ProcessHandle.current().pid();
    private final String host = RunStatus.localHost();
    private long totalSteps;
    private long startNanos = System.nanoTime();
    private double imagesPerSecond;
    private long stepImages;
    private double stepSeconds;

    public StatusWriter(RunFolder run, EarlyStopping earlyStopping) {
        this.run = run;
        this.earlyStopping = earlyStopping;
        this.earlierSeconds = RunStatus.read(run.dir()).map(RunStatus::trainingSeconds).orElse(0.0);
    }

    @Override
    public void onStart(TrainingContext context) {
        startNanos = System.nanoTime();
        totalSteps = context.totalSteps();
        write(RunStatus.State.RUNNING, context.step(), null);
    }

    @Override
    public void onStep(TrainingContext context, StepMetrics step) {
        stepImages += step.images();
        stepSeconds += step.seconds();
    }

    @Override
    public void onCheck(TrainingContext context, CheckMetrics check) {
        imagesPerSecond = check.imagesPerSecond();
        write(RunStatus.State.RUNNING, context.step(), null);
    }

    @Override
    public void onEnd(TrainingContext context, Ending ending) {
        RunStatus.State state = ending.interrupted() ? RunStatus.State.INTERRUPTED
                : ending.stopReason() != null ? RunStatus.State.STOPPED_EARLY : RunStatus.State.FINISHED;
        write(state, ending.step(), ending.stopReason());
    }

    /** Records that the run ended with an error at {@code step}. */
    public void failed(long step, String why) {
        write(RunStatus.State.FAILED, step, why);
    }

    private void write(RunStatus.State state, long step, String stopReason) {
        boolean checked = earlyStopping.bestStep() >= 0;
        new RunStatus(state, step, totalSteps, earlierSeconds + (System.nanoTime() - startNanos) / 1e9,
                Double.isFinite(imagesPerSecond) ? imagesPerSecond : 0, stepSeconds > 0 ? stepImages / stepSeconds : 0,
                checked ? earlyStopping.bestF2() : null, checked ? earlyStopping.bestThreshold() : null,
                checked ? earlyStopping.bestStep() : null, stopReason, pid, host, Instant.now().toString())
                .write(run.dir());
    }
}
