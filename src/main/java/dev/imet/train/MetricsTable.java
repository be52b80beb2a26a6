package dev.imet.train;

import dev.imet.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** {@code metrics.csv} of a run: one row per validation check. Rewritten whole each time (atomically). */
public final class MetricsTable implements TrainingListener {
    static final String[] HEADER = {
        "step", "epoch", "lr", "train_loss", "valid_loss", "f2", "threshold", "images_per_s", "rss_mb", "best"
    };
    private final Path file;
    private final StringBuilder rows = new StringBuilder();

    /** Opens the table; on resume the rows already written up to {@code step} are kept. */
    public MetricsTable(Path file, long resumeStep) {
        this.file = file;
        if (resumeStep > 0 && Files.exists(file)) {
            try {
                var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    long step = Long.parseLong(line.substring(0, line.indexOf(',')));
                    if (step <= resumeStep) {
                        rows.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onCheck(TrainingContext context, CheckMetrics c) {
        try (var out = new java.io.StringWriter(); var printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            printer.printRecord(c.step(), fmt("%.3f", c.epoch()), fmt("%.3g", c.lr()), fmt("%.5f", c.trainLoss()),
                    fmt("%.5f", c.validLoss()), fmt("%.4f", c.f2()), fmt("%.2f", c.threshold()),
                    fmt("%.1f", c.imagesPerSecond()), c.residentMb(), c.improved() ? 1 : 0);
            printer.flush();
            rows.append(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(file, String.join(",", HEADER) + "\n" + rows);
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }
}
