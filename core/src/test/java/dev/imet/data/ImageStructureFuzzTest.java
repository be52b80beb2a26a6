package dev.imet.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imet.common.InputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * check-data's default pass on seeded mutations of small valid PNG and JPEG files: it reports a problem, or it
 * accepts a file that {@link ImageDecoder} then decodes; never another exception, a hang or a large allocation.
 */
class ImageStructureFuzzTest {
    private static final long SEED = 20190405;
    private static final int MUTANTS = 3000;
    /** Small, so that a mutant whose enlarged size passes costs little to decode. */
    private static final long MAX_PIXELS = 1 << 16;
    private static final long CHECK_ALLOCATION = 1 << 20;
    private static final long DECODE_ALLOCATION = 32L << 20;

    @TempDir
    Path dir;

    enum Mutation { TRUNCATE, FLIP_BYTES, ENLARGE_LENGTH, ENLARGE_SIZE, RESEALED_PNG_SIZE }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails the test
    void theHeaderPassRefusesAMutantOrAcceptsOneThatDecodes() throws IOException {
        List<byte[]> bases = bases();
        Random random = new Random(SEED);
        Path file = dir.resolve("mutant");
        Map<Mutation, int[]> refusedAndAccepted = new EnumMap<>(Mutation.class);
        for (int k = 0; k < MUTANTS; k++) {
            int base = random.nextInt(bases.size());
            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            byte[] mutant = mutate(bases.get(base), mutation, random);
            if (mutant == null) {
                continue; // a mutation that does not apply to this format
            }
            Files.write(file, mutant);
            String what = mutation + " of base image " + base + " (mutant " + k + ")";

            long started = System.nanoTime();
            try {
                String problem = checkThenDecode(file, mutation, what);
                refusedAndAccepted.computeIfAbsent(mutation, m -> new int[2])[problem == null ? 1 : 0]++;
            } catch (RuntimeException e) {
                throw new AssertionError(what + ": " + e, e);
            }
            assertThat(System.nanoTime() - started).as(what + ": nanoseconds").isLessThan(2_000_000_000L);
        }
        // The mutations are not all caught, nor all let through: the fuzzing explores both sides.
        for (Mutation mutation : List.of(Mutation.FLIP_BYTES, Mutation.ENLARGE_SIZE)) {
            assertThat(refusedAndAccepted.get(mutation)).as(mutation + ": refused, accepted").doesNotContain(0);
        }
    }

    /** The header pass's problem with the file, after decoding it if it passed; fails on what must not happen. */
    private static String checkThenDecode(Path file, Mutation mutation, String what) {
        long allocated = Allocation.ofThisThread();
        String problem = ImageFiles.problem(file, false, MAX_PIXELS);
        assertThat(Allocation.ofThisThread() - allocated).as(what + ": bytes allocated by the check")
                .isLessThan(CHECK_ALLOCATION);
        if (problem == null) {
            allocated = Allocation.ofThisThread();
            try {
                RgbImage image = ImageDecoder.decode(file, MAX_PIXELS);
                assertThat((long) image.width() * image.height()).as(what).isLessThanOrEqualTo(MAX_PIXELS);
            } catch (InputException e) {
                // Known: the check does not inflate the image data, so a PNG whose IHDR was enlarged and resealed
                // with a valid CRC passes it and fails to decode. Nothing else may.
                assertThat(mutation).as(what + " passed the check but does not decode: " + e.getMessage())
                        .isEqualTo(Mutation.RESEALED_PNG_SIZE);
            }
            assertThat(Allocation.ofThisThread() - allocated).as(what + ": bytes allocated by decoding")
                    .isLessThan(DECODE_ALLOCATION);
        }
        return problem;
    }

    private static List<byte[]> bases() {
        BufferedImage rgb = TestImages.randomRgb(12, 9, 1);
        BufferedImage grey = new BufferedImage(10, 7, BufferedImage.TYPE_USHORT_GRAY);
        grey.getGraphics().drawImage(rgb, 0, 0, null);
        BufferedImage binary = new BufferedImage(9, 9, BufferedImage.TYPE_BYTE_BINARY);
        binary.getGraphics().drawImage(rgb, 0, 0, null);
        BufferedImage smooth = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                smooth.setRGB(x, y, x * 10 << 16 | y * 15 << 8 | 128);
            }
        }
        return List.of(TestImages.pngBytes(rgb, false), TestImages.pngBytes(grey, true), TestImages.pngBytes(binary, false),
                TestImages.jpegBytes(smooth, false), TestImages.jpegBytes(smooth, true),
                TestImages.jpegWithRestartInterval(smooth));
    }

    /** The mutant, or null when the mutation does not apply (a resealed PNG size of a JPEG). */
    private static byte[] mutate(byte[] base, Mutation mutation, Random random) {
        boolean png = base[0] == (byte) 0x89;
        byte[] mutant = base.clone();
        switch (mutation) {
            case TRUNCATE -> mutant = Arrays.copyOf(base, random.nextInt(base.length));
            case FLIP_BYTES -> {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    mutant[random.nextInt(mutant.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case ENLARGE_LENGTH -> {
                List<Integer> lengths = png ? pngLengthFields(base) : jpegLengthFields(base);
                int at = lengths.get(random.nextInt(lengths.size()));
                ByteBuffer buffer = ByteBuffer.wrap(mutant);
                int more = random.nextBoolean() ? 1 + random.nextInt(16) : 1 + random.nextInt(Integer.MAX_VALUE);
                if (png) {
                    buffer.putInt(at, buffer.getInt(at) + more);
                } else {
                    buffer.putShort(at, (short) (buffer.getShort(at) + more));
                }
            }
            case ENLARGE_SIZE -> {
                if (png) {
                    enlargePngSize(mutant, random); // and its CRC no longer matches
                } else {
                    int side = jpegFrame(base) + 5 + 2 * random.nextInt(2); // height, then width
                    int more = 1 + random.nextInt(random.nextBoolean() ? 600 : 65535);
                    ByteBuffer buffer = ByteBuffer.wrap(mutant);
                    buffer.putShort(side, (short) (buffer.getShort(side) + more));
                }
            }
            case RESEALED_PNG_SIZE -> {
                if (!png) {
                    return null;
                }
                enlargePngSize(mutant, random);
                CRC32 crc = new CRC32();
                crc.update(mutant, 12, 17); // IHDR's type and data
                ByteBuffer.wrap(mutant).putInt(29, (int) crc.getValue());
            }
        }
        return mutant;
    }

    private static void enlargePngSize(byte[] png, Random random) {
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int side = 16 + 4 * random.nextInt(2); // width, then height
        int more = random.nextBoolean() ? 1 + random.nextInt(600) : 1 + random.nextInt(Integer.MAX_VALUE);
        buffer.putInt(side, buffer.getInt(side) + more);
    }

    /** Where the length field of every chunk lies. */
    private static List<Integer> pngLengthFields(byte[] png) {
        List<Integer> fields = new ArrayList<>();
        for (int at = 8; at + 8 <= png.length; at += 12 + ByteBuffer.wrap(png).getInt(at)) {
            fields.add(at);
        }
        return fields;
    }

    /** Where the length field of every marker segment lies (after the marker), image data skipped. */
    private static List<Integer> jpegLengthFields(byte[] jpeg) {
        List<Integer> fields = new ArrayList<>();
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at + 1] & 0xFF) != 0xD9) {
            fields.add(at + 2);
            boolean scan = (jpeg[at + 1] & 0xFF) == 0xDA;
            at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF);
            while (scan && !(jpeg[at] == (byte) 0xFF && jpeg[at + 1] != 0 && (jpeg[at + 1] & 0xF8) != 0xD0)) {
                at++;
            }
        }
        return fields;
    }

    /** Where the SOF0 or SOF2 marker lies. */
    private static int jpegFrame(byte[] jpeg) {
        for (int at = 2; ; at++) {
            if (jpeg[at] == (byte) 0xFF && (jpeg[at + 1] == (byte) 0xC0 || jpeg[at + 1] == (byte) 0xC2)) {
                return at;
            }
        }
    }
}
