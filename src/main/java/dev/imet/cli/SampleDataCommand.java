package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "sample-data", mixinStandardHelpOptions = true, description = "Write a small learnable data set in the iMet layout, plus solution.csv.")
public final class SampleDataCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("sample-data: not implemented yet");
        return 1;
    }
}
