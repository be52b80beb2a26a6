package dev.imet.report;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One column of the leaderboard, shared by the page and the terminal: its header, whether it holds numbers
 * (aligned right), the text of a run's cell, and the key the page sorts it by (null: its text).
 */
record Column(String header, boolean numeric, Function<RunSummary, String> text, Function<RunSummary, String> sortKey) {
    /** What a cell shows when the value is unknown. */
    static final String UNKNOWN = "-";

    static final Column RUN = new Column("run", false, RunSummary::name, null);
    static final Column ENDED = new Column("ended", false, r -> r.ending().label(), null);
    static final Column NOTE = new Column("note", false, r -> String.join("; ", r.notes()), null);

    /** Every column, in order; the note last (free text). */
    static final List<Column> ALL = List.of(
            RUN,
            new Column("architecture", false, r -> orUnknown(r.arch()), null),
            new Column("fold", true, r -> number(r.fold()), r -> key(r.fold())),
            new Column("input", true, r -> r.inputSize() == null ? UNKNOWN : r.inputSize() + " px",
                    r -> key(r.inputSize())),
            new Column("epochs", true, r -> number(r.epochs()), r -> key(r.epochs())),
            new Column("best F2", true, r -> format("%.4f", r.bestF2()), r -> key(r.bestF2())),
            new Column("threshold", true, r -> format("%.2f", r.bestThreshold()), r -> key(r.bestThreshold())),
            new Column("steps", true, Column::steps, r -> key(r.steps())),
            new Column("training time", true, r -> duration(r.trainingSeconds()), r -> key(r.trainingSeconds())),
            new Column("images/s", true, r -> format("%.1f", r.imagesPerSecond()), r -> key(r.imagesPerSecond())),
            ENDED,
            NOTE);

    /** The columns for these runs: the note column only when some run has a note. */
    static List<Column> forRuns(List<RunSummary> runs) {
        return runs.stream().anyMatch(r -> !r.notes().isEmpty()) ? ALL
                : ALL.stream().filter(c -> c != NOTE).toList();
    }

    static String orUnknown(String text) {
        return text == null ? UNKNOWN : text;
    }

    static String number(Number n) {
        return n == null ? UNKNOWN : n.toString();
    }

    static String format(String pattern, Double value) {
        return value == null || !Double.isFinite(value) ? UNKNOWN : String.format(Locale.ROOT, pattern, value);
    }

    /** A sort key: the number, or empty (sorted last) when unknown. */
    static String key(Number n) {
        return n == null ? "" : n.toString();
    }

    /** Steps done over the run's steps ("?" when the total is unknown). */
    static String steps(RunSummary r) {
        if (r.steps() == null) {
            return UNKNOWN;
        }
        return r.steps() + "/" + (r.totalSteps() == null || r.totalSteps() <= 0 ? "?" : r.totalSteps());
    }

    /** Seconds as h:mm:ss. */
    static String duration(Double seconds) {
        if (seconds == null || !Double.isFinite(seconds) || seconds < 0) {
            return UNKNOWN;
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
