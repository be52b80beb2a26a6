package dev.imet.train;

import ai.djl.nn.Block;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.run.RunFolder;
import java.util.function.DoubleFunction;

/**
 * Keeps the best weights: whenever a check improves on the best F2, the run folder's model files are replaced
 * (atomically) by the current weights, with the check's threshold.
 */
public final class BestModelWriter implements TrainingListener {
    private final RunFolder run;
    private final Block network;
    private final DoubleFunction<ModelInfo> infoForThreshold;

    public BestModelWriter(RunFolder run, Block network, DoubleFunction<ModelInfo> infoForThreshold) {
        this.run = run;
        this.network = network;
        this.infoForThreshold = infoForThreshold;
    }

    @Override
    public void onCheck(TrainingContext context, CheckMetrics check) {
        if (check.improved()) {
            ModelFolder.save(run.dir(), network, infoForThreshold.apply(check.threshold()));
        }
    }
}
