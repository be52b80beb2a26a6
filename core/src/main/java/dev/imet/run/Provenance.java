package dev.imet.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imet.common.ToolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run came from: tool version, seed, a fingerprint of the data files it read, and the environment
 * variables that set how fast the engine runs (null in a {@code config.json} written before they were recorded).
 */
public record Provenance(
        @JsonProperty("tool_version") String toolVersion,
        @JsonProperty("seed") long seed,
        @JsonProperty("data_fingerprint") String dataFingerprint,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("java_version") String javaVersion,
        @JsonProperty("engine") String engine,
        @JsonProperty("engine_environment") Map<String, String> engineEnvironment) {
    /**
     * The variables, set by {@code bin/imet} or the user, that change the engine's speed and not its results: the
     * OpenMP wait policy (worth 1.4x at 64 px), threads, the allocator, the instruction sets allowed.
     */
    static final List<String> ENGINE_VARIABLES = List.of("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS",
            "LD_PRELOAD", "MALLOC_CONF", "ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA");

    public static Provenance of(long seed, List<Path> dataFiles, String engine) {
        return new Provenance(ToolVersion.get(), seed, fingerprint(dataFiles), Instant.now().toString(),
                System.getProperty("java.version"), engine, engineEnvironment(System.getenv()));
    }

    /** Those of {@link #ENGINE_VARIABLES} that {@code environment} sets, in that order. */
    static Map<String, String> engineEnvironment(Map<String, String> environment) {
        Map<String, String> set = new LinkedHashMap<>();
        for (String name : ENGINE_VARIABLES) {
            String value = environment.get(name);
            if (value != null) {
                set.put(name, value);
            }
        }
        return Collections.unmodifiableMap(set);
    }

    /** SHA-256 over the names and contents of the given files (the CSVs, not the images), first 16 hex digits. */
    public static String fingerprint(List<Path> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path f : files) {
                sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
