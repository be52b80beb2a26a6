package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, description = "Measure training and inference images/s and peak memory; prints one JSON line.")
public final class BenchmarkCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("benchmark: not implemented yet");
        return 1;
    }
}
