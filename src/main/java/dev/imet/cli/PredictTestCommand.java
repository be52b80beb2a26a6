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

/** {@code predict-test}: the test images (ids of sample_submission.csv) → a prediction file. */
@Command(name = "predict-test", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Predict the test images into a prediction file (.npz: ids, probs), for make-submission.")
public final class PredictTestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Option(names = "--out", description = "Prediction file (default: MODEL/test.npz).")
    Path out;

    @Override
    public Integer call() {
        try (ModelRun run = new ModelRun(inference.model)) {
            DataFolder data = DataFolder.load(run.dataFolder(inference.data));
            var items = run.testItems(data);
            PredictionFile file = ModelRun.toPredictionFile(items,
                    run.predict(items, inference.tta, inference.batchSize, inference.workers, null));
            Path target = out != null ? out : inference.model.resolve("test.npz");
            file.write(target);
            spec.commandLine().getOut().println("wrote " + target + " (" + items.size() + " images x "
                    + file.numClasses() + " classes)");
        }
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
