package dev.imet.cli;

import dev.imet.data.DataFolder;
import dev.imet.predict.ModelRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code validate}: loss and best F2 @ threshold on a fold, with TTA; stores the thresholds in model.json. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Predict the validation fold with TTA, print the mean loss and the best F2 with its threshold"
                + " (grid 0.01-0.49), and store the thresholds in the model's model.json.")
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Mixin
    FoldOptions folds;

    @Option(names = "--max-labels", defaultValue = "10")
    int maxLabels;

    @Option(names = "--per-group", description = "Search one threshold per label group (culture, tag).")
    boolean perGroup;

    @Override
    public Integer call() {
        var console = spec.commandLine().getOut();
        try (ModelRun run = new ModelRun(inference.model)) {
            Path dataDir = run.dataFolder(inference.data);
            DataFolder data = DataFolder.load(dataDir);
            var items = run.validItems(data, run.foldsFile(folds.folds, dataDir), run.fold(folds.fold));
            ModelRun.Validation v = run.validate(data, items, inference.tta, inference.batchSize, inference.workers,
                    maxLabels, perGroup);
            console.printf(Locale.ROOT, "images %d, tta %d%n", v.images(), v.views());
            console.printf(Locale.ROOT, "loss %.5f%n", v.loss());
            console.printf(Locale.ROOT, "f2 %.4f @ %s%n", v.f2(), v.thresholds().format());
        }
        console.flush();
        return Main.EXIT_OK;
    }
}
