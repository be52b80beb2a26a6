package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "predict-test", mixinStandardHelpOptions = true, description = "Predict the test images into a prediction file.")
public final class PredictTestCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("predict-test: not implemented yet");
        return 1;
    }
}
