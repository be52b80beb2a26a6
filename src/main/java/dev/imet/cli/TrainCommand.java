package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a network on all folds but one, watching that fold.")
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("train: not implemented yet");
        return 1;
    }
}
