package dev.imet.cli;

import dev.imet.report.RunsListing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runs}: the leaderboard of the training runs under a folder, in the terminal. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List the training runs under a folder, best F2 first, with how each stands: running,"
                + " finished, stopped early, interrupted, failed or killed.")
public final class RunsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "runs",
            description = "Folder searched at any depth for run folders, those that hold config.json"
                    + " (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() {
        RunsListing.Result result = RunsListing.list(new RunsListing.Options(dir));
        PrintWriter console = spec.commandLine().getOut();
        if (result.board().runs().isEmpty()) {
            console.println("no runs under " + dir + " (a run folder holds config.json)");
        } else {
            console.print(result.table());
        }
        console.flush();
        return Main.EXIT_OK;
    }
}
