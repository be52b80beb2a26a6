package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "predict-valid", mixinStandardHelpOptions = true, description = "Predict a validation fold into a prediction file.")
public final class PredictValidCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("predict-valid: not implemented yet");
        return 1;
    }
}
