package dev.imet.cli;

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

    @Override
    public Integer call() {
        double f2 = Submission.score(submission, solution);
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "f2 %.4f", f2));
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
