package dev.imet.cli;

import dev.imet.data.DataFolder;
import dev.imet.predict.ModelRun;
import dev.imet.predict.PredictionFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code predict-valid}: a validation fold → a prediction file (for ensembling and threshold studies). */
@Command(name = "predict-valid", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Predict a validation fold into a prediction file (.npz: ids, probs).")
public final class PredictValidCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Mixin
    FoldOptions folds;

    @Option(names = "--out", description = "Prediction file (default: MODEL/valid-foldK.npz).")
    Path out;

    @Override
    public Integer call() {
        try (ModelRun run = new ModelRun(inference.model)) {
            Path dataDir = run.dataFolder(inference.data);
            DataFolder data = DataFolder.load(dataDir);
            int k = run.fold(folds.fold);
            var items = run.validItems(data, run.foldsFile(folds.folds, dataDir), k);
            PredictionFile file = ModelRun.toPredictionFile(items,
                    run.predict(items, inference.tta, inference.batchSize, inference.workers, null));
            Path target = out != null ? out : inference.model.resolve("valid-fold" + k + ".npz");
            file.write(target);
            spec.commandLine().getOut().println("wrote " + target + " (" + items.size() + " images x "
                    + file.numClasses() + " classes)");
        }
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
