package dev.imet.model;

import dev.imet.common.Npz;
import dev.imet.model.Fuzzing.Mutant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated .npz files, from {@link Npz#write} and numpy's own: read as weights ({@link NumpyArchive}) and as a
 * prediction file's arrays ({@link Npz#read}), or refused with one line naming the file.
 */
class NpzFuzzTest {
    private static final long SEED = 0x4e707aL;
    private static final int TRIES = 1500;

    /** Each seed's entries, read once. */
    private final Map<byte[], LinkedHashMap<String, byte[]>> seedEntries = new IdentityHashMap<>();

    @TempDir
    Path tmp;

    @Test
    void everyMutantReadsAsWeightsOrIsRefusedCleanly() throws Exception {
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        arrays.put("conv.weight", new Npz.Floats(new int[] {2, 1, 1, 3}, new float[] {1, -2, 3, 0.5f, 0, 7}));
        arrays.put("fc.bias", new Npz.Floats(new int[] {2}, new float[] {0.25f, -1}));
        arrays.put("scalar", new Npz.Floats(new int[0], new float[] {3}));
        Fuzzing.run(tmp, SEED, TRIES, List.of(written("weights.npz", arrays), fixture("/weights/state_dict.npz")),
                this::mutate, Fuzzing::readWeights);
    }

    @Test
    void everyMutantReadsAsPredictionArraysOrIsRefusedCleanly() throws Exception {
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        arrays.put("ids", new Npz.Strings(List.of("a", "bé", "0c1")));
        arrays.put("probs", new Npz.Floats(new int[] {3, 2}, new float[] {0.5f, 0.25f, 1, 0, 0.125f, 0.75f}));
        List<byte[]> seeds = List.of(written("predictions.npz", arrays), fixture("/fixtures/pred_numpy.npz"),
                fixture("/fixtures/pred_numpy_compressed.npz"));
        Fuzzing.run(tmp, SEED + 1, TRIES, seeds, this::mutate, file -> Npz.read(file, "ids", "probs"));
    }

    /** A third of the time the zip bytes, else one entry (its .npy header text, or its bytes) or the entry list. */
    private Mutant mutate(byte[] seed, SplittableRandom random) {
        if (random.nextInt(3) == 0) {
            return Fuzzing.generic(seed, random);
        }
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(seedEntries.computeIfAbsent(seed, TorchFiles::entries));
        List<String> names = new ArrayList<>(entries.keySet());
        String name = names.get(random.nextInt(names.size()));
        byte[] npy = entries.get(name);
        String what;
        switch (random.nextInt(4)) {
            case 0, 1 -> {
                Mutant edited = editHeader(npy, random);
                entries.put(name, edited.bytes());
                what = edited.description();
            }
            case 2 -> {
                Mutant edited = Fuzzing.generic(npy, random);
                entries.put(name, edited.bytes());
                what = edited.description();
            }
            default -> {
                entries.remove(name);
                String renamed = random.nextBoolean() ? name.replace(".npy", "") : name.replace(".npy", "/.npy");
                if (random.nextBoolean()) {
                    entries.put(renamed, npy);
                }
                what = "removed or renamed it";
            }
        }
        return new Mutant("entry " + name + ": " + what + ", stored again", TorchFiles.storedZip(entries));
    }

    /** Replaces a number of the .npy header (shape, dtype width) and writes the header's new length. */
    private static Mutant editHeader(byte[] npy, SplittableRandom random) {
        if (npy.length < 10 || npy[6] != 1) {
            return Fuzzing.generic(npy, random);
        }
        int length = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        if (10 + length > npy.length) {
            return Fuzzing.generic(npy, random);
        }
        String header = new String(npy, 10, length, StandardCharsets.ISO_8859_1);
        byte[] edited = Fuzzing.replaceNumber(header, random).getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = Fuzzing.splice(npy, 10, length, edited);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) edited.length);
        return new Mutant("replaced a number in the .npy header", bytes);
    }

    private byte[] written(String name, Map<String, Npz.Array> arrays) {
        Path file = tmp.resolve(name);
        Npz.write(file, arrays);
        return Fuzzing.bytes(file);
    }

    private static byte[] fixture(String resource) {
        try {
            return Fuzzing.bytes(Path.of(NpzFuzzTest.class.getResource(resource).toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
