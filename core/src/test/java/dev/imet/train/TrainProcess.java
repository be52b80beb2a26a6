package dev.imet.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the real command line in a separate JVM (the test's class path), so a test can kill it. */
final class TrainProcess {
    private TrainProcess() {}

    static Process start(Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a fixed, pre-touched heap: resident memory then moves only with native memory (tensors), which is what
        // the memory test watches; a growing heap would touch new pages for reasons of its own
        command.add("-Xms384m");
        command.add("-Xmx384m");
        command.add("-XX:+AlwaysPreTouch");
        // compile hot methods when they get hot rather than in the background: the JIT compiler's own working
        // memory (tens of MB, kept by the allocator afterwards) is then taken in the first epoch instead of at a
        // moment that depends on timing, and later epochs show the tensors' memory alone (measured: with C1 only
        // the resident memory is flat from the first epoch; with background C2 it steps up once, in epoch 2 or 3)
        command.add("-XX:-BackgroundCompilation");
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("DJL_OFFLINE", "true");
        pb.environment().put("IMET_PLAIN_PROGRESS", "1");
        // the allocator bin/imet runs with (jemalloc where installed), so that the process is the one users run
        Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        if (java.nio.file.Files.exists(jemalloc) && System.getenv("IMET_NO_JEMALLOC") == null) {
            pb.environment().put("LD_PRELOAD", jemalloc.toString());
            pb.environment().put("MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1");
        }
        return pb.start();
    }

    /** Kills with SIGKILL (no shutdown hooks, no cleanup) and waits for the process to be gone. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor();
    }
}
