package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.common.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Mutation fuzzing of the binary readers, seeded and so repeatable: valid small files are truncated, have bits
 * flipped and bytes set, have length, size and offset fields enlarged, ranges deleted, inserted or duplicated, and
 * (per format) their header text or zip entries edited. Every read must end in success or an {@link InputException}
 * of one line naming the file; never another exception, never a read of more than {@link #TIME_LIMIT_SECONDS}
 * second, never an allocation of more than {@link #ALLOCATION_LIMIT} bytes (the tests run with -Xmx4g, so a reader
 * that takes a declared size on trust would try gigabytes, and fail here first).
 */
final class Fuzzing {
    static final long TIME_LIMIT_SECONDS = 1;
    /** Reading a seed of a few kilobytes allocates under 2 MB; a size taken on trust would take far more. */
    static final long ALLOCATION_LIMIT = 16L << 20;
    /** Values that break sizes, offsets and lengths: zero, one, signed and unsigned limits of 1 to 8 bytes. */
    private static final long[] EDGE_VALUES = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000L,
        0xffffffffL, 1L << 32, 1L << 40, 1L << 53, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2};
    private static final String[] EDGE_NUMBERS = {"0", "1", "-1", "2147483647", "2147483648", "4294967295",
        "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551616", "1e3", "1.5", "007",
        "99999999999999999999999999999999"};

    /** BINUNICODE, BININT, BINSTRING, BINBYTES (and their short forms), LONG1, LONG4, memo PUT and GET, FRAME. */
    private static final String PICKLE_OPCODES_WITH_ARGUMENTS = "X\u008cJKMTBC\u008a\u008bqrhj\u0095";

    /** One mutated file and what was done to it. */
    record Mutant(String description, byte[] bytes) {}

    @FunctionalInterface
    interface Mutator {
        Mutant mutate(byte[] seed, SplittableRandom random);
    }

    @FunctionalInterface
    interface Reader {
        void read(Path file) throws Exception;
    }

    /** How a read ended: {@code failure} null for success; the bytes its thread allocated, -1 if unknown. */
    private record Outcome(Throwable failure, long allocated) {}

    private Fuzzing() {}

    /**
     * Reads each seed (which must read), then {@code tries} mutants of them, each written to its own file under
     * {@code dir}. A failure names the seed, the try and the mutations, so it can be found again.
     */
    static void run(Path dir, long seed, int tries, List<byte[]> seeds, Mutator mutator, Reader reader)
            throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fuzzed-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < seeds.size(); i++) {
                Path file = Files.write(dir.resolve("seed" + i), seeds.get(i));
                Outcome outcome = read(worker, reader, file, "seed file " + i);
                assertThat(outcome.failure()).as("seed file %d reads", i).isNull();
            }
            for (int i = 0; i < tries; i++) {
                Mutant mutant = mutator.mutate(seeds.get(random.nextInt(seeds.size())), random);
                String context = "fuzz seed " + seed + ", try " + i + ": " + mutant.description();
                Path file = Files.write(dir.resolve("try" + i), mutant.bytes());
                check(file, context, read(worker, reader, file, context));
                Files.delete(file);
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private static Outcome read(ExecutorService worker, Reader reader, Path file, String context)
            throws InterruptedException {
        Future<Outcome> result = worker.submit(() -> {
            long before = allocatedBytes();
            Throwable failure = null;
            try {
                reader.read(file);
            } catch (Throwable t) { // an OutOfMemoryError too: reported as what it is
                failure = t;
            }
            long after = allocatedBytes();
            return new Outcome(failure, before < 0 ? -1 : after - before);
        });
        try {
            return result.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError(context + ": the read takes more than " + TIME_LIMIT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new AssertionError(context, e.getCause());
        }
    }

    private static void check(Path file, String context, Outcome outcome) {
        Throwable failure = outcome.failure();
        if (failure != null && !(failure instanceof InputException)) {
            throw new AssertionError(context + ": " + failure, failure);
        }
        if (failure != null) {
            String message = failure.getMessage();
            assertThat(message).as(context).startsWith(file + ": ").doesNotContain("\n", "\r").hasSizeLessThan(1000);
        }
        assertThat(outcome.allocated()).as(context + ": bytes allocated").isLessThan(ALLOCATION_LIMIT);
    }

    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /** The bytes of a test file (a fixture, or one a writer made). */
    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the tool does with a weights file: read it, use every byte of every tensor, list it as inspect-weights. */
    static void readWeights(Path file) {
        for (TensorData tensor : WeightsFile.read(file).tensors().values()) {
            tensor.toFloats();
        }
        WeightsInspection.inspect(file, null, null, null, true);
    }

    /** One or two of the format-independent mutations, chosen at random. */
    static Mutant generic(byte[] seed, SplittableRandom random) {
        Mutant first = genericOnce(seed, random);
        if (random.nextInt(4) != 0) {
            return first;
        }
        Mutant second = genericOnce(first.bytes(), random);
        return new Mutant(first.description() + ", then " + second.description(), second.bytes());
    }

    private static Mutant genericOnce(byte[] seed, SplittableRandom random) {
        if (seed.length == 0) {
            return new Mutant("empty", seed);
        }
        return switch (random.nextInt(9)) {
            case 0 -> truncate(seed, random);
            case 1 -> flipBits(seed, random);
            case 2 -> setBytes(seed, random);
            case 3, 4, 5 -> enlargeField(seed, random);
            case 6 -> deleteRange(seed, random);
            case 7 -> insertBytes(seed, random);
            default -> duplicateRange(seed, random);
        };
    }

    static Mutant truncate(byte[] seed, SplittableRandom random) {
        int length = random.nextInt(seed.length);
        return new Mutant("truncated to " + length + " bytes", Arrays.copyOf(seed, length));
    }

    static Mutant flipBits(byte[] seed, SplittableRandom random) {
        byte[] bytes = seed.clone();
        StringBuilder what = new StringBuilder("flipped bits at");
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int at = random.nextInt(bytes.length);
            int bit = random.nextInt(8);
            bytes[at] ^= (byte) (1 << bit);
            what.append(' ').append(at).append('.').append(bit);
        }
        return new Mutant(what.toString(), bytes);
    }

    static Mutant setBytes(byte[] seed, SplittableRandom random) {
        byte[] bytes = seed.clone();
        StringBuilder what = new StringBuilder("set bytes");
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int at = random.nextInt(bytes.length);
            bytes[at] = (byte) random.nextInt(256);
            what.append(' ').append(at).append('=').append(bytes[at] & 0xff);
        }
        return new Mutant(what.toString(), bytes);
    }

    /**
     * Overwrites a 1-, 2-, 4- or 8-byte little-endian field with an edge value or an enlarged copy of what it
     * held; mostly where the seed holds a small positive integer (a length, size, count or offset, in any of the
     * formats), else anywhere.
     */
    static Mutant enlargeField(byte[] seed, SplittableRandom random) {
        int width = 1 << random.nextInt(4);
        if (seed.length < width) {
            return setBytes(seed, random);
        }
        List<Integer> fields = smallIntegers(seed, width);
        int at = !fields.isEmpty() && random.nextInt(4) != 0 ? fields.get(random.nextInt(fields.size()))
                : random.nextInt(seed.length - width + 1);
        ByteBuffer view = ByteBuffer.wrap(seed.clone()).order(ByteOrder.LITTLE_ENDIAN);
        long old = read(view, at, width);
        long value = switch (random.nextInt(3)) {
            case 0 -> EDGE_VALUES[random.nextInt(EDGE_VALUES.length)];
            case 1 -> old + 1 + random.nextInt(64);
            default -> old * (2 + random.nextInt(1000));
        };
        write(view, at, width, value);
        return new Mutant("set the " + width + "-byte field at " + at + " from " + old + " to " + value, view.array());
    }

    /** Where the seed holds a little-endian integer of {@code width} bytes from 1 to 2^24. */
    private static List<Integer> smallIntegers(byte[] seed, int width) {
        ByteBuffer view = ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i + width <= seed.length; i++) {
            long v = read(view, i, width);
            if (v >= 1 && v <= 1 << 24) {
                at.add(i);
            }
        }
        return at;
    }

    private static long read(ByteBuffer view, int at, int width) {
        return switch (width) {
            case 1 -> view.get(at) & 0xffL;
            case 2 -> view.getShort(at) & 0xffffL;
            case 4 -> view.getInt(at) & 0xffffffffL;
            default -> view.getLong(at);
        };
    }

    private static void write(ByteBuffer view, int at, int width, long value) {
        switch (width) {
            case 1 -> view.put(at, (byte) value);
            case 2 -> view.putShort(at, (short) value);
            case 4 -> view.putInt(at, (int) value);
            default -> view.putLong(at, value);
        }
    }

    static Mutant deleteRange(byte[] seed, SplittableRandom random) {
        int at = random.nextInt(seed.length);
        int length = Math.min(1 + random.nextInt(16), seed.length - at);
        byte[] bytes = new byte[seed.length - length];
        System.arraycopy(seed, 0, bytes, 0, at);
        System.arraycopy(seed, at + length, bytes, at, seed.length - at - length);
        return new Mutant("deleted " + length + " bytes at " + at, bytes);
    }

    static Mutant insertBytes(byte[] seed, SplittableRandom random) {
        int at = random.nextInt(seed.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(16)];
        for (int i = 0; i < inserted.length; i++) {
            inserted[i] = (byte) random.nextInt(256);
        }
        return new Mutant("inserted " + inserted.length + " random bytes at " + at, splice(seed, at, 0, inserted));
    }

    static Mutant duplicateRange(byte[] seed, SplittableRandom random) {
        int from = random.nextInt(seed.length);
        int length = Math.min(1 + random.nextInt(64), seed.length - from);
        int to = random.nextInt(seed.length + 1);
        return new Mutant("copied " + length + " bytes from " + from + " to " + to,
                splice(seed, to, 0, Arrays.copyOfRange(seed, from, from + length)));
    }

    /** The bytes with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }

    /**
     * Overwrites the 1, 2, 4 or 8 bytes after a pickle opcode that takes a length or an integer (BINUNICODE,
     * BININT, LONG1, BINPUT, ...) with an edge value; with no such opcode, any field.
     */
    static Mutant enlargePickleArgument(byte[] seed, SplittableRandom random) {
        List<Integer> opcodes = new ArrayList<>();
        for (int i = 0; i + 9 <= seed.length; i++) {
            if (PICKLE_OPCODES_WITH_ARGUMENTS.indexOf(seed[i] & 0xff) >= 0) {
                opcodes.add(i);
            }
        }
        if (opcodes.isEmpty()) {
            return enlargeField(seed, random);
        }
        int at = opcodes.get(random.nextInt(opcodes.size())) + 1;
        int width = 1 << random.nextInt(4);
        long value = EDGE_VALUES[random.nextInt(EDGE_VALUES.length)];
        ByteBuffer view = ByteBuffer.wrap(seed.clone()).order(ByteOrder.LITTLE_ENDIAN);
        write(view, at, width, value);
        return new Mutant("set the " + width + " bytes after pickle opcode " + (seed[at - 1] & 0xff) + " at " + (at - 1)
                + " to " + value, view.array());
    }

    /** Text with one of its integers replaced by an edge number: {@code "shape": [2, 3]} becomes {@code [2, 4294967296]}. */
    static String replaceNumber(String text, SplittableRandom random) {
        List<int[]> numbers = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                int start = i;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                numbers.add(new int[] {start, i});
            }
        }
        if (numbers.isEmpty()) {
            return text;
        }
        int[] number = numbers.get(random.nextInt(numbers.size()));
        String replacement = random.nextInt(4) == 0
                ? String.valueOf(Long.parseLong(text.substring(number[0], Math.min(number[1], number[0] + 18))) + 1 + random.nextInt(16))
                : EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
        return text.substring(0, number[0]) + replacement + text.substring(number[1]);
    }
}
