package dev.imet.cli;

import dev.imet.common.AttributeIdsCsv;
import dev.imet.data.LabelSet;
import dev.imet.submit.ConstantBaseline;
import dev.imet.submit.Submission;
import java.util.List;
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
            + " constant prediction (the k most frequent labels of DATA/train.csv for every image).")
    Path baselineData;

    @Override
    public Integer call() {
        double f2 = Submission.score(submission, solution);
        var out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "f2 %.4f", f2));
        if (baselineData != null) {
            int numClasses = LabelSet.read(baselineData.resolve("labels.csv")).size();
            List<int[]> train = AttributeIdsCsv.read(baselineData.resolve("train.csv"), numClasses).stream()
                    .map(AttributeIdsCsv.Row::labels).toList();
            List<int[]> truth = AttributeIdsCsv.read(solution, numClasses).stream().map(AttributeIdsCsv.Row::labels).toList();
            ConstantBaseline.Result b = ConstantBaseline.best(train, numClasses, truth, 10);
            out.println(String.format(Locale.ROOT, "baseline f2 %.4f (the %d most frequent labels for every image)",
                    b.f2(), b.k()));
            out.println(String.format(Locale.ROOT, "margin over baseline %+.4f", f2 - b.f2()));
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
