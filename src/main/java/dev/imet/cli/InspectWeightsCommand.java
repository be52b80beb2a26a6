package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "inspect-weights", mixinStandardHelpOptions = true, description = "Show what a weights file holds and whether it fits a network.")
public final class InspectWeightsCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("inspect-weights: not implemented yet");
        return 1;
    }
}
