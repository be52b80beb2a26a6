package dev.imet.report;

import dev.imet.common.InputException;
import dev.imet.eval.LabelReport;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.run.MetricsFile;
import dev.imet.run.RunConfigFile;
import dev.imet.run.RunFolder;
import dev.imet.run.RunStatus;
import dev.imet.run.TrainConfig;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads run folders into {@link RunSummary}s through each file's own reader. A file that does not read becomes a
 * note of its run, never a failure of the whole listing.
 */
public final class RunReader {
    /** Written by validate next to the model (eval.LabelReport). */
    public static final String LABELS_FILE = LabelReport.FILE_NAME;
    /** Keys left out of the comparison of options: they tell every two runs apart and say nothing. */
    static final List<String> UNCOMPARED = List.of("run_dir");

    private RunReader() {}

    /** True when {@code dir} is a run folder: it holds config.json. */
    public static boolean isRunFolder(Path dir) {
        return Files.isRegularFile(new RunFolder(dir).config());
    }

    /**
     * The run folders at any depth under {@code dir} (itself included), in path order; unreadable folders are
     * skipped, links to run folders listed.
     */
    public static List<Path> find(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + (Files.exists(dir) ? ": not a folder" : ": no such folder"));
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (isRunFolder(d)) {
                        found.add(d);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // a link to a run folder is listed, but not followed further (no loops)
                    if (attrs.isSymbolicLink() && Files.isDirectory(file) && isRunFolder(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new InputException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        found.sort(null);
        return found;
    }

    /** Reads one run folder; {@code name} is how the leaderboard names it. */
    public static RunSummary read(Path dir, String name) {
        RunFolder run = new RunFolder(dir);
        List<String> notes = new ArrayList<>();

        TrainConfig config = null;
        Map<String, String> options = null;
        try {
            RunConfigFile.Content content = RunConfigFile.read(run.config());
            config = content.config();
            options = new LinkedHashMap<>(RunConfigFile.flatten(config));
            UNCOMPARED.forEach(options::remove);
            options.put("provenance.tool_version", content.provenance().toolVersion());
            options.put("provenance.data_fingerprint", content.provenance().dataFingerprint());
            options.put("provenance.engine", content.provenance().engine());
        } catch (InputException e) {
            notes.add("unreadable config.json: " + reason(e, run.config()));
        }

        String arch = config != null ? config.network().arch() : null;
        Integer inputSize = config != null ? config.network().input().size() : null;
        Integer fold = config != null ? config.data().fold() : null;
        Integer epochs = config != null ? config.schedule().epochs() : null;
        String modelThresholds = null;
        if (Files.isRegularFile(dir.resolve(ModelFolder.INFO_FILE))) {
            try {
                ModelInfo info = ModelFolder.readInfo(dir);
                if (config == null) {
                    arch = info.arch();
                    inputSize = info.input().size();
                }
                if (info.thresholds() != null && !info.thresholds().isEmpty()) {
                    modelThresholds = info.thresholds().entrySet().stream()
                            .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.2f", e.getValue()))
                            .collect(java.util.stream.Collectors.joining(", "))
                            + (info.maxLabels() != null ? ", at most " + info.maxLabels() + " labels" : "");
                }
            } catch (InputException e) {
                notes.add("unreadable model.json: " + reason(e, dir.resolve(ModelFolder.INFO_FILE)));
            }
        }

        Optional<RunStatus> status = Optional.empty();
        try {
            status = RunStatus.read(dir);
        } catch (InputException e) {
            notes.add("unreadable status.json: " + reason(e, dir.resolve(RunStatus.FILE_NAME)));
        }

        Double bestF2 = null;
        Double bestThreshold = null;
        Long bestStep = null;
        Long steps = null;
        Long totalSteps = null;
        Double seconds = null;
        Double imagesPerSecond = null;
        RunEnding ending;
        if (status.isPresent()) {
            RunStatus s = status.get();
            bestF2 = s.bestF2();
            bestThreshold = s.bestThreshold();
            bestStep = s.bestStep();
            steps = s.steps();
            totalSteps = s.totalSteps();
            seconds = s.trainingSeconds();
            imagesPerSecond = s.imagesPerSecond() > 0 ? s.imagesPerSecond() : null;
            ending = s.state() == null ? RunEnding.UNKNOWN : RunEnding.of(s.state(), s.isStale());
            if (ending == RunEnding.KILLED) {
                notes.add("process " + s.pid() + " on " + s.host() + " is gone");
            } else if (ending == RunEnding.RUNNING && s.host() != null && !s.host().equals(RunStatus.localHost())) {
                notes.add("on " + s.host());
            }
            if (s.stopReason() != null && !s.stopReason().isBlank()) {
                notes.add(s.stopReason());
            }
        } else {
            Metrics m = readMetrics(run.metrics(), notes);
            if (m.best() != null) {
                bestF2 = m.best().f2();
                bestThreshold = m.best().threshold();
                bestStep = m.best().step();
            }
            if (m.last() != null) {
                steps = m.last().step();
                imagesPerSecond = m.last().imagesPerSecond() > 0 ? m.last().imagesPerSecond() : null;
            }
            ending = RunEnding.fromMetrics(m.last() != null ? m.last().epoch() : null, epochs);
            notes.add(Files.exists(run.metrics()) ? "no status.json: from metrics.csv" : "no status.json or metrics.csv");
        }

        Path curves = run.curves();
        Path labels = dir.resolve(LABELS_FILE);
        return new RunSummary(dir, name, arch, fold, inputSize, epochs, bestF2, bestThreshold, bestStep, steps,
                totalSteps, seconds, imagesPerSecond, ending, options, notes,
                Files.isRegularFile(curves) ? curves : null, Files.isRegularFile(labels) ? labels : null,
                modelThresholds);
    }

    /**
     * The message of a reader's error in one line, without the file name it starts with (the note names the file):
     * a reader that lists several problems gives them one after another.
     */
    static String reason(InputException e, Path file) {
        String name = file.toString();
        return String.valueOf(e.getMessage()).lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.startsWith(name) ? line.substring(name.length()).replaceFirst("^:? ", "") : line)
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private record Metrics(MetricsFile.Row best, MetricsFile.Row last) {}

    /** The best check (the last one marked best, else the highest F2) and the last one of metrics.csv. */
    private static Metrics readMetrics(Path file, List<String> notes) {
        if (!Files.exists(file)) {
            return new Metrics(null, null);
        }
        List<MetricsFile.Row> rows;
        try {
            rows = MetricsFile.read(file);
        } catch (InputException e) {
            notes.add("unreadable " + MetricsFile.FILE_NAME + ": " + reason(e, file));
            return new Metrics(null, null);
        }
        MetricsFile.Row highest = null;
        MetricsFile.Row marked = null;
        for (MetricsFile.Row row : rows) {
            if (highest == null || row.f2() > highest.f2()) {
                highest = row;
            }
            if (row.best()) {
                marked = row;
            }
        }
        return new Metrics(marked != null ? marked : highest, rows.isEmpty() ? null : rows.get(rows.size() - 1));
    }
}
