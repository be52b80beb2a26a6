package dev.imet.cli;

import picocli.CommandLine.Command;

/** Not built yet. */
@Command(name = "check-data", mixinStandardHelpOptions = true, description = "Report every problem of a data folder in one pass; exit 1 if any.")
public final class CheckDataCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("check-data: not implemented yet");
        return 1;
    }
}
