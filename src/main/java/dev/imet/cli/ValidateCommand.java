package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Predict the validation fold with TTA, print loss and the best F2 and store thresholds.")
public final class ValidateCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("validate: not implemented yet");
        return 1;
    }
}
