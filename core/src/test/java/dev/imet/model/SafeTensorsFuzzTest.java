package dev.imet.model;

import dev.imet.model.Fuzzing.Mutant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutated safetensors files, from {@link SafeTensors#write}: read, or refused with one line naming the file. */
class SafeTensorsFuzzTest {
    private static final long SEED = 0x5afe7e45L;
    private static final int TRIES = 3000;
    private static final String HEADER_CHARACTERS = "{}[]:,\"\\ 0-9e.";
    private static final String[] DTYPES = {"F32", "F16", "BF16", "F64", "I64", "U8", "BOOL", "C64", "F8_E4M3", "f32", ""};

    @TempDir
    Path tmp;

    @Test
    void everyMutantIsReadOrRefusedCleanly() throws Exception {
        Fuzzing.run(tmp, SEED, TRIES, List.of(everyDtype(), metadataOnly()), SafeTensorsFuzzTest::mutate,
                Fuzzing::readWeights);
    }

    private static Mutant mutate(byte[] seed, SplittableRandom random) {
        return random.nextBoolean() ? editHeader(seed, random) : Fuzzing.generic(seed, random);
    }

    /** Edits the JSON header and writes its new length in front (once in eight, keeps the old length). */
    private static Mutant editHeader(byte[] seed, SplittableRandom random) {
        int length = (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(seed, 8, length, StandardCharsets.UTF_8);
        String edited;
        String what;
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                edited = Fuzzing.replaceNumber(header, random);
                what = "replaced a number in the header";
            }
            case 2 -> {
                String from = DTYPES[random.nextInt(5)];
                String to = DTYPES[random.nextInt(DTYPES.length)];
                edited = header.replaceFirst("\"" + from + "\"", "\"" + to + "\"");
                what = "replaced dtype " + from + " by " + to;
            }
            case 3 -> {
                int at = random.nextInt(header.length());
                edited = header.substring(0, at) + header.substring(at + 1);
                what = "deleted header character " + at;
            }
            default -> {
                int at = random.nextInt(header.length() + 1);
                char c = HEADER_CHARACTERS.charAt(random.nextInt(HEADER_CHARACTERS.length()));
                edited = header.substring(0, at) + c + header.substring(at);
                what = "inserted '" + c + "' at header character " + at;
            }
        }
        byte[] json = edited.getBytes(StandardCharsets.UTF_8);
        boolean keepLength = random.nextInt(8) == 0;
        byte[] bytes = Fuzzing.splice(seed, 8, length, json);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, keepLength ? length : json.length);
        return new Mutant(what + (keepLength ? ", kept the old length" : ""), bytes);
    }

    private Path written(String name, Map<String, TensorData> tensors, Map<String, String> metadata) {
        Path file = tmp.resolve(name);
        SafeTensors.write(file, tensors, metadata);
        return file;
    }

    private byte[] everyDtype() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("conv.weight", TensorData.ofFloats(new long[] {2, 1, 1, 3}, new float[] {1, -2, 3, 0.5f, 0, 7}));
        tensors.put("bn.num_batches_tracked", TensorData.scalarLong(7));
        tensors.put("half", new TensorData(DType.F16, new long[] {2}, ByteBuffer.wrap(new byte[] {0, 0x3c, 1, (byte) 0x80})));
        tensors.put("bfloat", new TensorData(DType.BF16, new long[] {1}, ByteBuffer.wrap(new byte[] {(byte) 0x80, 0x3f})));
        tensors.put("double", new TensorData(DType.F64, new long[] {1}, ByteBuffer.allocate(8)));
        tensors.put("bytes", new TensorData(DType.U8, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 2, 3})));
        tensors.put("ints", new TensorData(DType.I32, new long[] {1, 2}, ByteBuffer.allocate(8)));
        tensors.put("flags", new TensorData(DType.BOOL, new long[] {2}, ByteBuffer.wrap(new byte[] {0, 1})));
        tensors.put("empty", new TensorData(DType.F32, new long[] {0, 4}, ByteBuffer.allocate(0)));
        return Fuzzing.bytes(written("every.safetensors", tensors, Map.of("format", "pt", "arch", "tiny_resnet")));
    }

    private byte[] metadataOnly() {
        return Fuzzing.bytes(written("meta.safetensors", Map.of(), Map.of("format", "pt")));
    }
}
