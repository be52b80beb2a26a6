package dev.imet.cli;

import dev.imet.submit.ConstantBaseline;
import dev.imet.submit.Submission;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** score: the competition metric of a submission file. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Print the mean F2 of a submission against a solution file (train.csv format).")
public final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SUBMISSION", description = "submission.csv (id,attribute_ids).")
    Path submission;

    @Parameters(index = "1", paramLabel = "SOLUTION", description = "The true labels (id,attribute_ids).")
    Path solution;

    @CommandLine.Option(names = "--baseline", paramLabel = "DATA", description = "Also print the F2 of the best"
            + " constant prediction (the k most frequent labels of DATA/train.csv for every image, k <= "
            + ConstantBaseline.MAX_K + ").")
    Path baselineData;

    @Override
    public Integer call() {
        double f2 = Submission.score(submission, solution);
        var out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "f2 %.4f", f2));
        if (baselineData != null) {
            ConstantBaseline.Result baseline = ConstantBaseline.forData(baselineData, solution);
            out.println(String.format(Locale.ROOT, "baseline f2 %.4f (the %d most frequent labels for every image)",
                    baseline.f2(), baseline.k()));
            out.println(String.format(Locale.ROOT, "margin over baseline %+.4f", f2 - baseline.f2()));
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
