package dev.imet.cli;

import dev.imet.inference.Validation;
import dev.imet.predict.Predictions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code validate}: loss and best F2 @ threshold on a fold, with TTA; stores the thresholds in model.json. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict the validation fold with TTA, print the mean loss and the best F2 with its threshold"
                + " (grid 0.01-0.49), and store the thresholds in the model's model.json.")
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Mixin
    FoldOptions folds;

    @Option(names = "--max-labels", defaultValue = "10", paramLabel = "N",
            description = "At most N labels per image in the threshold search (default: ${DEFAULT-VALUE}).")
    int maxLabels;

    @Option(names = "--per-group", description = "Search one threshold per label group (culture, tag).")
    boolean perGroup;

    @Override
    public Integer call() {
        Predictions.ValidationReport report = Predictions.validate(inference.toOptions(spec.commandLine()),
                folds.toFold(), maxLabels, perGroup);
        Validation v = report.validation();
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "images %d, tta %d%n", v.images(), v.views());
        console.printf(Locale.ROOT, "loss %.5f%n", v.loss());
        console.printf(Locale.ROOT, "f2 %.4f @ %s%n", v.f2(), v.thresholds().format());
        console.println("f2 by group (each group's share of the mean): " + report.f2ByGroup().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")));
        if (!report.neverPredicted().isEmpty()) {
            console.println("never predicted, by support: " + report.neverPredicted().stream()
                    .map(r -> r.name() + " (" + r.support() + ")").collect(Collectors.joining(", ")));
        }
        console.println("wrote " + report.labelsFile() + " and " + report.chartFile());
        console.flush();
        return Main.EXIT_OK;
    }
}
