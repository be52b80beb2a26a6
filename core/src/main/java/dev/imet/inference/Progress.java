package dev.imet.inference;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long pass over images (validate, predict-test, predict-valid): on a terminal a progress bar with
 * images done, images/s and the time left; otherwise (a log file, CI) a plain line every {@code logEvery}, and
 * one at the end.
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    /** How often the plain lines come when no terminal is attached. */
    public static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final String task;
    private final long total;
    private final Duration logEvery;
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastLogNanos = startNanos;

    /** @param total images to go through (items times views) */
    public Progress(String task, long total, boolean terminal, Duration logEvery) {
        this.task = task;
        this.total = total;
        this.logEvery = logEvery;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" img", 1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500).showSpeed().build()
                : null;
    }

    /** Progress on a terminal when one is attached, else plain lines. */
    public static Progress of(String task, long total) {
        return new Progress(task, total, isTerminal(), LOG_EVERY);
    }

    /** A terminal when both a console is attached and the user did not ask for plain output. */
    public static boolean isTerminal() {
        return System.console() != null && System.getenv("IMET_PLAIN_PROGRESS") == null;
    }

    /** Counts {@code images} more done. */
    public void advance(int images) {
        done += images;
        if (bar != null) {
            bar.stepTo(done);
        } else if (System.nanoTime() - lastLogNanos >= logEvery.toNanos() && done < total) {
            lastLogNanos = System.nanoTime();
            LOG.info(line());
        }
    }

    /** "predict: 3200/38801 images (8.2 %), 45.1 images/s, 12:25 left". */
    String line() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        long left = rate > 0 ? Math.round((total - done) / rate) : -1;
        return String.format(Locale.ROOT, "%s: %d/%d images (%.1f %%), %.1f images/s, %s left", task, done, total,
                100.0 * done / Math.max(1, total), rate, left < 0 ? "?" : clock(left));
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else if (done > 0) {
            LOG.info(line());
        }
    }
}
