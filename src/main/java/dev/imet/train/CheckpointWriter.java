package dev.imet.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the resumable checkpoint after every validation check and when the loop ends or is interrupted. */
public final class CheckpointWriter implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);
    private final RunFolder run;

    public CheckpointWriter(RunFolder run) {
        this.run = run;
    }

    @Override
    public void onCheck(TrainingLoop loop, CheckMetrics check) {
        save(loop);
    }

    @Override
    public void onEnd(TrainingLoop loop, boolean interrupted) {
        save(loop);
        if (interrupted) {
            LOG.info("interrupted at step {}: checkpoint written; continue with --resume --run-dir {}",
                    loop.state().step, run.dir());
        }
    }

    private void save(TrainingLoop loop) {
        Checkpoint.save(run.checkpoint(), loop.parameters(), loop.optimizer(), loop.state(), loop.config().seed());
    }
}
