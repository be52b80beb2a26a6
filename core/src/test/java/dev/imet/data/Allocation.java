package dev.imet.data;

import java.lang.management.ManagementFactory;

/** Bytes of heap the current thread has allocated so far, to show that a check allocated little. */
final class Allocation {
    private Allocation() {}

    static long ofThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
