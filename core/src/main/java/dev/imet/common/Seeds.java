package dev.imet.common;

import java.nio.charset.StandardCharsets;

/** Derives independent 64-bit seeds from several numbers, so random streams never depend on thread timing. */
public final class Seeds {
    private Seeds() {}

    /** A well-spread seed from {@code a} and {@code b}: SplitMix64's finaliser over a golden-ratio walk. */
    public static long mix(long a, long b) {
        return finish(finish(a + 0x9E3779B97F4A7C15L) + b * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    /** A 64-bit hash of a string (FNV-1a over its UTF-8 bytes, then mixed): stable across runs and JVMs. */
    public static long hash(String text) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return finish(hash);
    }

    /** SplitMix64's finaliser: a bijection on longs that spreads every input bit over the output. */
    public static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
