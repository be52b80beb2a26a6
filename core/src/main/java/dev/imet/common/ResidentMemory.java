package dev.imet.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process (JVM heap plus native tensors), from /proc where the system has it. */
public final class ResidentMemory {
    private ResidentMemory() {}

    /** Current resident set in MiB, or -1 where /proc/self/status is not available. */
    public static long currentMb() {
        return field("VmRSS:");
    }

    /** Peak resident set in MiB, or -1 where /proc/self/status is not available. */
    public static long peakMb() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: memory is not reported
        }
        return -1;
    }
}
