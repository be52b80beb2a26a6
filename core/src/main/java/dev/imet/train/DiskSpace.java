package dev.imet.train;

import dev.imet.common.InputException;
import dev.imet.run.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Room for a run's files, checked before the first step so that a full disk is found in seconds, not after an
 * epoch. In copies of the P float32 parameters: the best model (1) and its temporary copy while it is replaced
 * (1), the checkpoint (weights and Adam's two moments: 3), the previous one kept beside it (3) and the next one
 * while it is written (3). The peak is while a checkpoint is written: 10 copies, 40P bytes, plus a little for the
 * logs and tables. A moving average of the weights adds one copy to each checkpoint: 13 copies.
 */
final class DiskSpace {
    /** Float32 copies of the parameters on disk at the peak. */
    static final int COPIES_AT_PEAK = 10;
    static final long SMALL_FILES = 1L << 20;

    private DiskSpace() {}

    /** The bytes the run's files need at their peak. */
    static long needed(long parameterCount, boolean averaged) {
        long copies = COPIES_AT_PEAK + (averaged ? 3 : 0);
        return Math.addExact(Math.multiplyExact(parameterCount, copies * Float.BYTES), SMALL_FILES);
    }

    /**
     * Refuses, with the figures, a run folder whose file system cannot hold what the run will write; the run's own
     * files already there (a resumed run's) count as room.
     */
    static void requireRoom(RunFolder run, long parameterCount, boolean averaged) {
        long needed = needed(parameterCount, averaged);
        long usable;
        try {
            usable = Files.getFileStore(existingAncestor(run.dir())).getUsableSpace();
            for (Path own : new Path[] {run.checkpoint(), run.previousCheckpoint(), run.dir().resolve("model.safetensors")}) {
                if (Files.exists(own)) {
                    usable += Files.size(own);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the free space of " + run.dir() + ": " + e.getMessage(), e);
        }
        if (usable < needed) {
            throw new InputException(String.format(Locale.ROOT, "%s: %s free on its file system, but the run needs"
                    + " about %s (the model and two checkpoints of %,d parameters, and their temporary copies while"
                    + " they are written); free some space or give another --run-dir", run.dir(), megabytes(usable),
                    megabytes(needed), parameterCount));
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
