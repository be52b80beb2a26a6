package dev.imet;

import java.io.IOException;
import java.nio.file.Path;

/** A small tmpfs mounted on a test's folder, for tests of a full disk; mounting needs root, tests skip without. */
public final class Tmpfs {
    private Tmpfs() {}

    /** Mounts a tmpfs of {@code size} (as mount takes it: "1m") on {@code dir}; false where that is not allowed. */
    public static boolean mount(Path dir, String size) throws InterruptedException {
        return run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    }

    /** Unmounts lazily: the JVM may still map a file of the mount until a collection releases it. */
    public static void unmount(Path dir) throws InterruptedException {
        run("umount", "-l", dir.toString());
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
