package dev.imet.model;

import dev.imet.model.Fuzzing.Mutant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated PyTorch zip files, torch's own fixture ({@code state_dict.pth}) and one made by hand: read, or refused
 * with one line naming the file.
 */
class TorchZipFuzzTest {
    private static final long SEED = 0x70c4L;
    private static final int TRIES = 2500;

    /** Each seed's entries, read once. */
    private final Map<byte[], LinkedHashMap<String, byte[]>> seedEntries = new IdentityHashMap<>();

    @TempDir
    Path tmp;

    @Test
    void everyMutantIsReadOrRefusedCleanly() throws Exception {
        byte[] handMade = TorchFiles.zip(TorchFiles.stateDict(TorchFiles.SAMPLE_VIEWS, false),
                Map.of("0", TorchFiles.floats(TorchFiles.SAMPLE_STORAGE_0),
                        "1", TorchFiles.floats(TorchFiles.SAMPLE_STORAGE_1)));
        byte[] torchMade = Fuzzing.bytes(WeightsFileTest.fixture("state_dict.pth"));
        Fuzzing.run(tmp, SEED, TRIES, List.of(handMade, torchMade), this::mutate, Fuzzing::readWeights);
    }

    /** A third of the time the zip bytes, else the pickle (its opcodes' arguments or bytes) or a storage entry. */
    private Mutant mutate(byte[] seed, SplittableRandom random) {
        if (random.nextInt(3) == 0) {
            return Fuzzing.generic(seed, random);
        }
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(seedEntries.computeIfAbsent(seed, TorchFiles::entries));
        List<String> names = new ArrayList<>(entries.keySet());
        String pickle = names.stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
        String name = random.nextBoolean() ? pickle : names.get(random.nextInt(names.size()));
        byte[] content = entries.get(name);
        Mutant edited = switch (random.nextInt(4)) {
            case 0 -> Fuzzing.enlargePickleArgument(content, random);
            case 1 -> content.length == 0 ? new Mutant("kept", content)
                    : new Mutant("cut to " + content.length / 2 + " bytes", Arrays.copyOf(content, content.length / 2));
            case 2 -> new Mutant("grown by 4 bytes", Arrays.copyOf(content, content.length + 4));
            default -> Fuzzing.generic(content, random);
        };
        if (random.nextInt(10) == 0) {
            entries.remove(name);
            return new Mutant("entry " + name + " removed", TorchFiles.storedZip(entries));
        }
        entries.put(name, edited.bytes());
        return new Mutant("entry " + name + ": " + edited.description() + ", stored again", TorchFiles.storedZip(entries));
    }
}
