package dev.imet.cli;

import dev.imet.report.Report;
import dev.imet.report.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report}: one self-contained HTML page comparing training runs. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write one self-contained HTML page comparing training runs: leaderboard, curves, the"
                + " options that differ, the best run's label table (after validate). It loads nothing from outside"
                + " and opens from the file.")
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run folders (folders that hold config.json).")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html",
            description = "The page to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        Report.Result result = Report.write(new Report.Options(runs, out));
        PrintWriter console = spec.commandLine().getOut();
        int n = result.board().runs().size();
        console.printf(Locale.ROOT, "wrote %s: %d run%s", result.out(), n, n == 1 ? "" : "s");
        RunSummary best = result.board().best();
        if (best != null && best.bestF2() != null) {
            console.printf(Locale.ROOT, ", best %s (f2 %.4f)", best.name(), best.bestF2());
        }
        console.println();
        console.flush();
        return Main.EXIT_OK;
    }
}
