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

/** {@code validate}: loss and best F2 @ threshold on a fold, with TTA; stores the rule in model.json. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict the validation fold with TTA, print the mean loss and the best F2 with its threshold"
                + " (grid 0.01-0.49), and store the thresholds in the model's model.json; with --label-thresholds or"
                + " --label-count, also the rule chosen from them.")
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

    @Option(names = "--per-group", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Search one threshold per label group (culture, tag), from the best single one"
                    + " (default: on; --no-per-group: one threshold for all labels).")
    boolean perGroup;

    @Option(names = "--label-thresholds", paramLabel = "N", description = "Give each label with at least N positives"
            + " in the fold a threshold of its own (grid 0.01-0.99), shrunk toward its group's (0: none) (default:"
            + " ${DEFAULT-VALUE}).")
    int labelThresholds = 0;

    @Option(names = "--label-shrinkage", paramLabel = "K", description = "With --label-thresholds: a label with n"
            + " positives keeps n / (n + K) of its own threshold's distance from its group's (default:"
            + " ${DEFAULT-VALUE}).")
    double labelShrinkage = Predictions.Binarization.LABEL_SHRINKAGE;

    @Option(names = "--label-count", description = "Instead of thresholds, keep the top round(a x sum of p + b)"
            + " labels of each image, a and b chosen on the fold.")
    boolean labelCount;

    @Override
    public Integer call() {
        var binarization = new Predictions.Binarization(maxLabels, perGroup, labelThresholds, labelShrinkage,
                labelCount);
        Predictions.ValidationReport report = Predictions.validate(inference.toOptions(spec.commandLine()),
                folds.toFold(), binarization);
        Validation v = report.validation();
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "images %d, tta %d%n", v.images(), v.views());
        console.printf(Locale.ROOT, "loss %.5f%n", v.loss());
        console.printf(Locale.ROOT, "f2 %.4f @ %s%n", v.f2(), v.thresholds().format());
        if (labelThresholds > 0 || labelCount) {
            // chosen and scored on the same fold: a held-out comparison is the test set's (or another fold's)
            console.printf(Locale.ROOT, "f2 %.4f @ %s (stored; on the fold that chose it)%n", report.ruleF2(),
                    report.rule().describe());
        }
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
