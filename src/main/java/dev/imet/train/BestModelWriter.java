package dev.imet.train;

import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import java.util.function.DoubleFunction;

/**
 * Keeps the best weights: whenever a check improves on the best F2, the run folder's model files are replaced
 * (atomically) by the current weights, with the check's threshold.
 */
public final class BestModelWriter implements TrainingListener {
    private final RunFolder run;
    private final DoubleFunction<ModelInfo> infoForThreshold;

    public BestModelWriter(RunFolder run, DoubleFunction<ModelInfo> infoForThreshold) {
        this.run = run;
        this.infoForThreshold = infoForThreshold;
    }

    @Override
    public void onCheck(TrainingLoop loop, CheckMetrics check) {
        if (check.improved()) {
            ModelFolder.save(run.dir(), loop.block(), infoForThreshold.apply(check.threshold()));
        }
    }
}
