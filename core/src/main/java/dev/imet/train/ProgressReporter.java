package dev.imet.train;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows progress: a progress bar with ETA and running loss on a terminal; otherwise (a log file, CI) a plain
 * log line every {@code logEvery}. Every validation check is logged either way.
 */
public final class ProgressReporter implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private final boolean terminal;
    private final Duration logEvery;
    private ProgressBar bar;
    private double runningLoss = Double.NaN;
    private long lastLogNanos = System.nanoTime();

    public ProgressReporter(boolean terminal, Duration logEvery) {
        this.terminal = terminal;
        this.logEvery = logEvery;
    }

    @Override
    public void onStep(TrainingContext context, StepMetrics s) {
        runningLoss = Double.isNaN(runningLoss) ? s.loss() : 0.95 * runningLoss + 0.05 * s.loss();
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(s.totalSteps())
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500)
                        .startsFrom(s.step() - 1, Duration.ZERO).build();
            }
            bar.stepTo(s.step());
            bar.setExtraMessage(String.format(Locale.ROOT, "ep %.2f loss %.4f %.1f img/s", s.epoch(), runningLoss,
                    s.imagesPerSecond()));
        } else if (System.nanoTime() - lastLogNanos >= logEvery.toNanos() || s.step() == s.totalSteps()) {
            lastLogNanos = System.nanoTime();
            LOG.info(String.format(Locale.ROOT, "step %d/%d epoch %.2f lr %.3g loss %.4f %.1f img/s", s.step(),
                    s.totalSteps(), s.epoch(), s.lr(), runningLoss, s.imagesPerSecond()));
        }
    }

    @Override
    public void onCheck(TrainingContext context, CheckMetrics c) {
        String line = String.format(Locale.ROOT, "check step %d epoch %.2f train_loss %.5f valid_loss %.5f f2 %.4f @ %.2f%s",
                c.step(), c.epoch(), c.trainLoss(), c.validLoss(), c.f2(), c.threshold(), c.improved() ? " (best)" : "");
        if (bar != null) {
            // keep the bar on its own line: log above it
            System.err.print("\r\033[K");
        }
        LOG.info(line);
    }

    @Override
    public void onEnd(TrainingContext context, Ending ending) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
