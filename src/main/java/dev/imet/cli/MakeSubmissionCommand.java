package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "make-submission", mixinStandardHelpOptions = true, description = "Ensemble prediction files, binarise, write submission.csv.")
public final class MakeSubmissionCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("make-submission: not implemented yet");
        return 1;
    }
}
