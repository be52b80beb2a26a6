package dev.imet.report;

import java.nio.file.Path;
import java.util.Objects;

/** {@code runs}: the leaderboard of every run folder under a folder, as a plain-text table ({@link TextLeaderboard}). */
public final class RunsListing {
    public static final Path DEFAULT_DIR = Path.of("runs");

    /** @param dir the folder searched, at any depth, for run folders (those that hold config.json) */
    public record Options(Path dir) {
        public Options {
            Objects.requireNonNull(dir, "dir");
        }
    }

    /** The leaderboard and its table (empty when there is no run). */
    public record Result(Leaderboard board, String table) {}

    private RunsListing() {}

    public static Result list(Options options) {
        Leaderboard board = Leaderboard.under(options.dir());
        return new Result(board, board.runs().isEmpty() ? "" : TextLeaderboard.render(board));
    }
}
