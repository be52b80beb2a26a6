package dev.imet.report;

import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** {@code report}: one self-contained HTML page comparing run folders ({@link HtmlReport}). */
public final class Report {
    public static final Path DEFAULT_OUT = Path.of("report.html");

    /**
     * @param runs the run folders (at least one; a folder given twice counts once)
     * @param out  the page to write
     */
    public record Options(List<Path> runs, Path out) {
        public Options {
            Objects.requireNonNull(out, "out");
            if (runs == null || runs.isEmpty()) {
                throw new IllegalArgumentException("give at least one run folder");
            }
            runs = List.copyOf(runs);
        }
    }

    /** What was written: the page and the leaderboard it shows. */
    public record Result(Path out, Leaderboard board) {}

    private Report() {}

    /** Reads the runs and writes the page; a RUN that is not a run folder is an InputException naming it. */
    public static Result write(Options options) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> runs = new ArrayList<>();
        for (Path run : options.runs()) {
            if (!Files.isDirectory(run)) {
                throw new InputException(run + (Files.exists(run) ? ": not a run folder (a file)" : ": no such folder"));
            }
            if (!RunReader.isRunFolder(run)) {
                throw new InputException(run + ": not a run folder (no config.json)");
            }
            if (seen.add(run.toAbsolutePath().normalize())) {
                runs.add(run);
            }
        }
        Leaderboard board = Leaderboard.of(runs);
        AtomicFiles.writeString(options.out(), HtmlReport.render(board, Instant.now()));
        return new Result(options.out(), board);
    }
}
