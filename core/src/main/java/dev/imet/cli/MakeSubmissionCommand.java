package dev.imet.cli;

import dev.imet.eval.BinarizationRule;
import dev.imet.eval.Thresholds;
import dev.imet.submit.StoredThresholds;
import dev.imet.submit.Submission;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** make-submission (SPEC §7): ensemble prediction files, binarise, write submission.csv. */
@Command(name = "make-submission", mixinStandardHelpOptions = true,
        description = "Average prediction files on the ids of sample_submission.csv, binarise, write submission.csv.")
public final class MakeSubmissionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PRED", description = "Prediction files (.npz from predict-test).")
    List<Path> predictions;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder with labels.csv and"
            + " sample_submission.csv (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("data");

    @Option(names = "--threshold", paramLabel = "T", converter = ThresholdsConverter.class,
            description = "Keep labels with probability above T: one number, or per group (culture=0.28,tag=0.10)"
                    + " (default: " + Submission.DEFAULT_THRESHOLD + ").")
    Thresholds thresholds = Thresholds.global(Submission.DEFAULT_THRESHOLD);

    @Option(names = "--thresholds-from", paramLabel = "MODEL", description = "Take the rule that validate stored in"
            + " MODEL/model.json (its thresholds, per-label thresholds or labels per image, and max labels), instead of"
            + " --threshold.")
    Path thresholdsFrom;

    @Option(names = "--max-labels", paramLabel = "N", description = "At most N labels per image (with"
            + " --thresholds-from: the model's unless given) (default: ${DEFAULT-VALUE}).")
    int maxLabels = BinarizationRule.DEFAULT_MAX_LABELS;

    @Option(names = "--max-per-group", paramLabel = "GROUP=N", split = ",",
            description = "At most N labels of the group per image, e.g. culture=3,tag=8 (default: no limit per group).")
    Map<String, Integer> maxPerGroup;

    @Option(names = "--rank-mean",
            description = "Average per-class ranks over the test ids (scaled to [0, 1]) instead of probabilities; "
                    + "choose --threshold on that scale.")
    boolean rankMean;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("submission.csv");

    @Override
    public Integer call() {
        var parsed = spec.commandLine().getParseResult();
        if (thresholdsFrom != null && parsed.hasMatchedOption("--threshold")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --threshold or --thresholds-from, not both");
        }
        Integer givenMaxLabels = parsed.hasMatchedOption("--max-labels") ? maxLabels : null;
        BinarizationRule rule;
        try {
            rule = thresholdsFrom != null ? StoredThresholds.rule(thresholdsFrom, givenMaxLabels, maxPerGroup)
                    : new BinarizationRule(thresholds, maxLabels, maxPerGroup);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Submission.Summary summary = Submission.make(data, predictions, rule, rankMean, out);

        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "wrote %s: %d images, %.2f labels per image (%s of %d prediction files,"
                        + " %s%s, max labels %d)%n", out, summary.images(), summary.meanLabels(),
                rankMean ? "rank mean" : "mean", predictions.size(), rule.labelCount() == null ? "threshold " : "",
                rule.describe(), rule.maxLabels());
        printer.flush();
        return Main.EXIT_OK;
    }

    /** --threshold "0.15" or "culture=0.28,tag=0.10". */
    static final class ThresholdsConverter implements CommandLine.ITypeConverter<Thresholds> {
        @Override
        public Thresholds convert(String value) {
            try {
                return Thresholds.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
