package dev.imet.cli;

import dev.imet.data.DataFolder;
import dev.imet.predict.ModelRun;
import dev.imet.predict.PredictionFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict-test}: the test images (ids of sample_submission.csv) → a prediction file. */
@Command(name = "predict-test", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Predict the test images into a prediction file (.npz: ids, probs), for make-submission.")
public final class PredictTestCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder (a training run folder is one).")
    Path model;

    @Option(names = "--data", description = "Data folder (default: the run's, else ./data).")
    Path data;

    @Option(names = "--tta", defaultValue = "2")
    int tta;

    @Option(names = "--out", description = "Prediction file (default: MODEL/test.npz).")
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
            DataFolder dataFolder = DataFolder.load(run.dataFolder(data));
            var items = run.testItems(dataFolder);
            PredictionFile file = ModelRun.toPredictionFile(items, run.predict(items, tta, batchSize, workers, null));
            Path target = out != null ? out : model.resolve("test.npz");
            file.write(target);
            console.println("wrote " + target + " (" + items.size() + " images x " + file.numClasses() + " classes)");
        }
        console.flush();
        return Main.EXIT_OK;
    }
}
