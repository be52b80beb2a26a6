package dev.imet.run;

import dev.imet.data.CsvTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv} of a run: one row per validation check, written by training and read by the curves, the
 * report and the run listing. Values are written at fixed precision, so that a row read and written again is the
 * same text.
 */
public final class MetricsFile {
    public static final String FILE_NAME = "metrics.csv";
    public static final List<String> COLUMNS = List.of("step", "epoch", "lr", "train_loss", "valid_loss", "f2",
            "threshold", "images_per_s", "rss_mb", "best");

    /** One check: its step and epoch, the head's learning rate, the losses, F2 and threshold, speed, memory. */
    public record Row(long step, double epoch, double lr, double trainLoss, double validLoss, double f2,
            double threshold, double imagesPerSecond, long rssMb, boolean best) {

        List<String> values() {
            return List.of(Long.toString(step), fmt("%.3f", epoch), fmt("%.3g", lr), fmt("%.5f", trainLoss),
                    fmt("%.5f", validLoss), fmt("%.4f", f2), fmt("%.2f", threshold), fmt("%.1f", imagesPerSecond),
                    Long.toString(rssMb), best ? "1" : "0");
        }
    }

    private MetricsFile() {}

    /** Writes the rows atomically. */
    public static void write(Path file, List<Row> rows) {
        CsvTable.write(file, COLUMNS, rows.size(), i -> rows.get(i).values());
    }

    /** Reads every row; an InputException naming the file and line of anything that is not a check row. */
    public static List<Row> read(Path file) {
        return CsvTable.readAll(file, COLUMNS, r -> new Row(Long.parseLong(r.value(0)), Double.parseDouble(r.value(1)),
                Double.parseDouble(r.value(2)), Double.parseDouble(r.value(3)), Double.parseDouble(r.value(4)),
                Double.parseDouble(r.value(5)), Double.parseDouble(r.value(6)), Double.parseDouble(r.value(7)),
                Long.parseLong(r.value(8)), "1".equals(r.value(9))));
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }
}
