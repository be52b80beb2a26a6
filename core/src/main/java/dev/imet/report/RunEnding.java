package dev.imet.report;

import dev.imet.run.RunStatus;

/** How a run stands or ended, as the leaderboard says it. */
public enum RunEnding {
    RUNNING("running"),
    FINISHED("finished"),
    STOPPED_EARLY("stopped early"),
    INTERRUPTED("interrupted"),
    FAILED("failed"),
    /** Said running, but its process is gone: killed without warning (SIGKILL, power loss). */
    KILLED("killed"),
    /** No status.json (a run of an older version) and its metrics do not show it finished. */
    UNKNOWN("unknown");

    private final String label;

    RunEnding(String label) {
        this.label = label;
    }

    /** The words the leaderboard shows. */
    public String label() {
        return label;
    }

    /** The ending of a run whose status.json says {@code state}; {@code stale}: its process is gone. */
    public static RunEnding of(RunStatus.State state, boolean stale) {
        return switch (state) {
            case RUNNING -> stale ? KILLED : RUNNING;
            case FINISHED -> FINISHED;
            case STOPPED_EARLY -> STOPPED_EARLY;
            case INTERRUPTED -> INTERRUPTED;
            case FAILED -> FAILED;
        };
    }

    /**
     * The ending of a run without status.json, from its last check: finished when that check is at the last of
     * {@code epochs} (null: unknown), unknown otherwise.
     */
    public static RunEnding fromMetrics(Double lastEpoch, Integer epochs) {
        return lastEpoch != null && epochs != null && lastEpoch >= epochs - 1e-3 ? FINISHED : UNKNOWN;
    }
}
