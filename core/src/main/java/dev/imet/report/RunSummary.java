package dev.imet.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run as the leaderboard shows it; any field but the folder and its name may be unknown (null), for a run that
 * has not reached its first check, a run of an older version or a run whose files do not read.
 *
 * @param dir             the run folder
 * @param name            how the leaderboard names it
 * @param arch            the architecture (config.json, else model.json)
 * @param fold            the fold watched
 * @param inputSize       the input size in pixels (config.json, else model.json)
 * @param epochs          the epochs configured
 * @param bestF2          the best check's F2
 * @param bestThreshold   its threshold
 * @param bestStep        its step
 * @param steps           steps done
 * @param totalSteps      steps of the whole run
 * @param trainingSeconds wall time spent training
 * @param imagesPerSecond training images per second at the last check
 * @param ending          how the run stands or ended
 * @param options         the configuration as dotted keys (plus the provenance that tells runs apart); null when
 *                        config.json does not read
 * @param notes           what the leaderboard should add in words: why the run stopped, which file did not read
 * @param curves          the run's curves.png, null when absent
 * @param labels          the run's labels.csv, null when absent
 * @param modelThresholds the thresholds model.json holds, as {@code group=threshold, ...}; null when it has none
 */
public record RunSummary(
        Path dir,
        String name,
        String arch,
        Integer fold,
        Integer inputSize,
        Integer epochs,
        Double bestF2,
        Double bestThreshold,
        Long bestStep,
        Long steps,
        Long totalSteps,
        Double trainingSeconds,
        Double imagesPerSecond,
        RunEnding ending,
        Map<String, String> options,
        List<String> notes,
        Path curves,
        Path labels,
        String modelThresholds) {

    public RunSummary {
        options = options == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        notes = List.copyOf(notes);
    }
}
