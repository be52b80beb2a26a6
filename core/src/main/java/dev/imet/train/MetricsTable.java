package dev.imet.train;

import dev.imet.run.MetricsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Keeps {@code metrics.csv} of a run: one row per validation check, the file rewritten whole (atomically) each time. */
public final class MetricsTable implements TrainingListener {
    private final Path file;
    private final List<MetricsFile.Row> rows = new ArrayList<>();

    /** Opens the table; on resume the rows already written up to {@code step} are kept. */
    public MetricsTable(Path file, long resumeStep) {
        this.file = file;
        if (resumeStep > 0 && Files.exists(file)) {
            MetricsFile.read(file).stream().filter(r -> r.step() <= resumeStep).forEach(rows::add);
        }
    }

    @Override
    public void onCheck(TrainingContext context, CheckMetrics c) {
        rows.add(new MetricsFile.Row(c.step(), c.epoch(), c.lr(), c.trainLoss(), c.validLoss(), c.f2(), c.threshold(),
                c.imagesPerSecond(), c.residentMb(), c.improved()));
        MetricsFile.write(file, rows);
    }

    /** The rows so far, oldest first. */
    List<MetricsFile.Row> rows() {
        return List.copyOf(rows);
    }
}
