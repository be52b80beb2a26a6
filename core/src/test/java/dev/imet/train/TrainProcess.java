package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the real command line in a separate JVM (the test's class path), so a test can kill it. */
final class TrainProcess {
    private TrainProcess() {}

    /**
     * Whether the process ignores {@code signal} (its bit in the SigIgn mask of /proc/PID/status). A job started
     * in the background by a shell without job control ({@code (mvn test &)} in a script) ignores SIGINT, and so
     * do its children: the JVM then installs no handler for it (HotSpot keeps an inherited SIG_IGN), and no kill
     * -INT can reach the training. False where /proc cannot tell.
     */
    static boolean ignores(Process process, int signal) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16)
                            & (1L << (signal - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process has ended: assume the default disposition
        }
        return false;
    }

    /** Starts {@code mainClass} the way users run it: bin/imet's allocator (jemalloc where installed). */
    static Process start(Path log, String mainClass, String... args) throws IOException {
        return start(log, false, mainClass, args);
    }

    /**
     * Starts {@code mainClass} for a memory measurement: resident memory then moves with the tensors alone.
     * Measured on 30-epoch runs of the memory test: with C1 only and glibc's malloc it grows by 2-3 MB after the
     * second epoch and then stays; with C2 the compiler's working memory (up to ~40 MB of arena, NMT's "Arena
     * Chunk") steps it up at an epoch that depends on when methods get hot, and jemalloc configured as bin/imet
     * does (dirty pages never purged) keeps that peak and creeps by a further ~30 MB before it settles. Either
     * alone exceeds a bound tight enough to catch one leaked input batch per step (~2 MB an epoch here).
     */
    static Process startForMemoryMeasurement(Path log, String mainClass, String... args) throws IOException {
        return start(log, true, mainClass, args);
    }

    private static Process start(Path log, boolean forMemory, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a fixed, pre-touched heap: resident memory then moves only with native memory, not with a growing heap
        command.add("-Xms384m");
        command.add("-Xmx384m");
        command.add("-XX:+AlwaysPreTouch");
        if (forMemory) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("DJL_OFFLINE", "true");
        pb.environment().put("IMET_PLAIN_PROGRESS", "1");
        Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        if (forMemory) {
            pb.environment().remove("LD_PRELOAD");
            pb.environment().remove("MALLOC_CONF");
        } else if (Files.exists(jemalloc) && System.getenv("IMET_NO_JEMALLOC") == null) {
            pb.environment().put("LD_PRELOAD", jemalloc.toString());
            pb.environment().put("MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1");
        }
        return pb.start();
    }

    /**
     * Runs {@code dev.imet.cli.Main} with {@code args} to its end in a JVM of its own, as users run it, and asserts
     * that it succeeded. The resume tests run every compared training this way: in the test's JVM, after the earlier
     * test classes, runs diverged from the first steps in 2 of 4 full suites (the cause is not found; a fresh
     * process has never shown it).
     */
    static void runToEnd(Path log, String... args) {
        try {
            Process p = start(log, "dev.imet.cli.Main", args);
            assertThat(p.waitFor()).as(Files.readString(log)).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills with SIGKILL (no shutdown hooks, no cleanup) and waits for the process to be gone. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor();
    }
}
