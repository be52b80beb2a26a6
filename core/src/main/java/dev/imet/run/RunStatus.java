package dev.imet.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code status.json} of a run: how far it got and how it stands, rewritten at its start, at every check and at its
 * end, for {@code runs} and {@code report}. A run killed without warning leaves {@code running} behind: the pid and
 * host tell whether that process still exists.
 *
 * @param state            where the run stands
 * @param steps            steps done
 * @param totalSteps       steps of the whole run
 * @param trainingSeconds  wall time spent training, over every process that worked on the run
 * @param imagesPerSecond  training images per second at the last check (0 before it)
 * @param trainImagesPerSecond training images per second over this process's steps so far: the steps and the
 *                         waits for their batches, not the checks (0 before the first step)
 * @param bestF2           the best check's F2 (null before the first check)
 * @param bestThreshold    its threshold
 * @param bestStep         its step
 * @param stopReason       why the run stopped before its last step, or null
 * @param pid              the process that wrote this
 * @param host             the machine it ran on
 * @param updatedAt        when this was written (ISO-8601)
 */
public record RunStatus(
        @JsonProperty("state") State state,
        @JsonProperty("steps") long steps,
        @JsonProperty("total_steps") long totalSteps,
        @JsonProperty("training_seconds") double trainingSeconds,
        @JsonProperty("images_per_second") double imagesPerSecond,
        @JsonProperty("train_images_per_second") double trainImagesPerSecond,
        @JsonProperty("best_f2") Double bestF2,
        @JsonProperty("best_threshold") Double bestThreshold,
        @JsonProperty("best_step") Long bestStep,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("pid") long pid,
        @JsonProperty("host") String host,
        @JsonProperty("updated_at") String updatedAt) {

    /** Where a run stands. */
    public enum State {
        /** Training (or killed without warning: see {@link #isStale()}). */
        RUNNING,
        /** All its steps done. */
        FINISHED,
        /** Stopped by early stopping. */
        STOPPED_EARLY,
        /** Stopped by Ctrl+C or SIGTERM, with a checkpoint to resume from. */
        INTERRUPTED,
        /** Ended by an error (diverged, disk full...), its last checkpoint resumable. */
        FAILED
    }

    public static final String FILE_NAME = "status.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(MapperFeature.AUTO_DETECT_GETTERS, MapperFeature.AUTO_DETECT_IS_GETTERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * True when the run says it is running but its process is gone from this machine (killed without warning);
     * unknown (false) for a run on another machine.
     */
    public boolean isStale() {
        return state == State.RUNNING && localHost().equals(host)
                && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    public void write(Path runDir) {
        try {
            AtomicFiles.writeString(runDir.resolve(FILE_NAME), JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run's status, or empty when it has none (a run of an older version, or not a run folder). */
    public static Optional<RunStatus> read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunStatus.class));
        } catch (IOException e) {
            throw new InputException(file + ": not a run status (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
    }

    /** This machine's name, as the status records it. */
    public static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
