package dev.imet.cli;

import dev.imet.data.DataFolder;
import dev.imet.predict.ModelRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code validate}: loss and best F2 @ threshold on a fold, with TTA; stores the thresholds in model.json. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Predict the validation fold with TTA, print the mean loss and the best F2 with its threshold"
                + " (grid 0.01-0.49), and store the thresholds in the model's model.json.")
public final class ValidateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder (a training run folder is one).")
    Path model;

    @Option(names = "--data", description = "Data folder (default: the run's, else ./data).")
    Path data;

    @Option(names = "--folds", description = "folds.csv (default: the run's, else DATA/folds.csv).")
    Path folds;

    @Option(names = "--fold", description = "Fold to validate on (default: the run's).")
    Integer fold;

    @Option(names = "--tta", defaultValue = "2", description = "Views averaged: 1 plain, 2 adds the mirror, more add"
            + " seeded random crops.")
    int tta;

    @Option(names = "--max-labels", defaultValue = "10")
    int maxLabels;

    @Option(names = "--per-group", description = "Search one threshold per label group (culture, tag).")
    boolean perGroup;

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
            var items = run.validItems(dataFolder, run.foldsFile(folds, dataDir), run.fold(fold));
            ModelRun.Validation v = run.validate(dataFolder, items, tta, batchSize, workers, maxLabels, perGroup);
            console.printf(Locale.ROOT, "images %d, tta %d%n", v.images(), v.views());
            console.printf(Locale.ROOT, "loss %.5f%n", v.loss());
            console.printf(Locale.ROOT, "f2 %.4f @ %s%n", v.f2(), v.thresholds().format());
        }
        console.flush();
        return Main.EXIT_OK;
    }
}
