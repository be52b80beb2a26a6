package dev.imet.cli;

import dev.imet.data.DataFolder;
import dev.imet.predict.ModelRun;
import dev.imet.predict.PredictionFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict-valid}: a validation fold → a prediction file (for ensembling and threshold studies). */
@Command(name = "predict-valid", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Predict a validation fold into a prediction file (.npz: ids, probs).")
public final class PredictValidCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder (a training run folder is one).")
    Path model;

    @Option(names = "--data", description = "Data folder (default: the run's, else ./data).")
    Path data;

    @Option(names = "--folds", description = "folds.csv (default: the run's, else DATA/folds.csv).")
    Path folds;

    @Option(names = "--fold", description = "Fold to predict (default: the run's).")
    Integer fold;

    @Option(names = "--tta", defaultValue = "2")
    int tta;

    @Option(names = "--out", description = "Prediction file (default: MODEL/valid-foldK.npz).")
    Path out;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--workers", defaultValue = "2")
    int workers;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var console = spec.commandLine().getOut();
        try (ModelRun run = new ModelRun(model)) {
            Path dataDir = run.dataFolder(data);
            DataFolder dataFolder = DataFolder.load(dataDir);
            int k = run.fold(fold);
            var items = run.validItems(dataFolder, run.foldsFile(folds, dataDir), k);
            PredictionFile file = ModelRun.toPredictionFile(items, run.predict(items, tta, batchSize, workers, null));
            Path target = out != null ? out : model.resolve("valid-fold" + k + ".npz");
            file.write(target);
            console.println("wrote " + target + " (" + items.size() + " images x " + file.numClasses() + " classes)");
        }
        console.flush();
        return Main.EXIT_OK;
    }
}
