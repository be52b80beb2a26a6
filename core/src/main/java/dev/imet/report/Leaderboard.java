package dev.imet.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Runs ranked by their best F2, highest first; runs without a check yet come last, by name. */
public record Leaderboard(List<RunSummary> runs) {
    /** Best F2 descending (none last), then name. */
    public static final Comparator<RunSummary> RANKING = Comparator
            .comparing(RunSummary::bestF2, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(RunSummary::name);

    public Leaderboard {
        runs = runs.stream().sorted(RANKING).toList();
    }

    /** The leaderboard of the given run folders, named by {@link #names}. */
    public static Leaderboard of(List<Path> runDirs) {
        List<String> names = names(runDirs);
        List<RunSummary> runs = new ArrayList<>();
        for (int i = 0; i < runDirs.size(); i++) {
            runs.add(RunReader.read(runDirs.get(i), names.get(i)));
        }
        return new Leaderboard(runs);
    }

    /** The leaderboard of every run folder under {@code dir}, each named by its path from there. */
    public static Leaderboard under(Path dir) {
        List<RunSummary> runs = new ArrayList<>();
        for (Path run : RunReader.find(dir)) {
            Path relative = dir.relativize(run);
            String name = relative.toString().isEmpty() ? String.valueOf(dir.toAbsolutePath().normalize().getFileName())
                    : relative.toString();
            runs.add(RunReader.read(run, name));
        }
        return new Leaderboard(runs);
    }

    /** The first run: the best F2, or the first by name when none has a check; null when there are no runs. */
    public RunSummary best() {
        return runs.isEmpty() ? null : runs.get(0);
    }

    /**
     * Short names that tell the runs apart: the folder names, or as many trailing parts of the paths as it takes
     * for every name to differ (the whole path when two runs are the same folder written differently).
     */
    public static List<String> names(List<Path> dirs) {
        List<Path> paths = dirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        int most = paths.stream().mapToInt(Path::getNameCount).max().orElse(0);
        for (int parts = 1; parts <= most; parts++) {
            List<String> names = new ArrayList<>();
            for (Path p : paths) {
                int n = p.getNameCount();
                names.add(n == 0 ? p.toString() : p.subpath(Math.max(0, n - parts), n).toString());
            }
            if (new HashSet<>(names).size() == names.size()) {
                return names;
            }
        }
        return paths.stream().map(Path::toString).toList();
    }

    /**
     * The options in which the runs differ: each key whose value is not the same in every run (a key one run lacks
     * differs), in the order the runs first name them, with one value per run (null where a run lacks the key).
     */
    public static LinkedHashMap<String, List<String>> differingOptions(List<Map<String, String>> perRun) {
        Set<String> keys = new LinkedHashSet<>();
        perRun.forEach(options -> keys.addAll(options.keySet()));
        LinkedHashMap<String, List<String>> differing = new LinkedHashMap<>();
        for (String key : keys) {
            List<String> values = new ArrayList<>();
            perRun.forEach(options -> values.add(options.get(key)));
            if (values.stream().anyMatch(v -> !Objects.equals(v, values.get(0)))) {
                differing.put(key, values);
            }
        }
        return differing;
    }
}
