package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "score", mixinStandardHelpOptions = true, description = "Print the mean F2 of a submission against a solution file.")
public final class ScoreCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("score: not implemented yet");
        return 1;
    }
}
