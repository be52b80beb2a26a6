package dev.imet.train;

import ai.djl.nn.Parameter;
import dev.imet.run.RunFolder;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the resumable checkpoint after every validation check and when the loop ends or is interrupted. */
public final class CheckpointWriter implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);
    private final RunFolder run;
    private final Map<String, Parameter> parameters;
    private final Map<String, Parameter> averaged;
    private final AdamW optimizer;
    private final EarlyStopping earlyStopping;
    private final long seed;

    /** @param averaged the moving average of the weights, empty when the run keeps none */
    public CheckpointWriter(RunFolder run, Map<String, Parameter> parameters, Map<String, Parameter> averaged,
            AdamW optimizer, EarlyStopping earlyStopping, long seed) {
        this.run = run;
        this.parameters = parameters;
        this.averaged = averaged;
        this.optimizer = optimizer;
        this.earlyStopping = earlyStopping;
        this.seed = seed;
    }

    @Override
    public void onCheck(TrainingContext context, CheckMetrics check) {
        save(context.progress());
    }

    @Override
    public void onEnd(TrainingContext context, Ending ending) {
        save(ending.progress());
        if (ending.interrupted()) {
            LOG.info("interrupted at step {}: checkpoint written; continue with --resume --run-dir {}",
                    ending.step(), run.dir());
        }
    }

    private void save(TrainingLoop.Progress progress) {
        Checkpoint.save(run, parameters, averaged, optimizer, progress, earlyStopping, seed);
    }
}
