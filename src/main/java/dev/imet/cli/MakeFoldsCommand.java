package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "make-folds", mixinStandardHelpOptions = true, description = "Split train.csv into folds by iterative stratification; writes folds.csv.")
public final class MakeFoldsCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("make-folds: not implemented yet");
        return 1;
    }
}
