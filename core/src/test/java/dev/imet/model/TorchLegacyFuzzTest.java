package dev.imet.model;

import dev.imet.model.Fuzzing.Mutant;
import dev.imet.model.TorchFiles.LegacyStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated legacy PyTorch files, torch's own fixture ({@code state_dict_legacy.pth}) and one made by hand: read,
 * or refused with one line naming the file. The enlarged fields hit the pickles' lengths and integers and the
 * storages' element counts.
 */
class TorchLegacyFuzzTest {
    private static final long SEED = 0x1e6acL;
    private static final int TRIES = 2500;

    @TempDir
    Path tmp;

    @Test
    void everyMutantIsReadOrRefusedCleanly() throws Exception {
        byte[] handMade = TorchFiles.legacy(TorchFiles.stateDict(TorchFiles.SAMPLE_VIEWS, true),
                List.of(new LegacyStorage("0", 6, TorchFiles.floats(TorchFiles.SAMPLE_STORAGE_0)),
                        new LegacyStorage("1", 2, TorchFiles.floats(TorchFiles.SAMPLE_STORAGE_1))));
        byte[] torchMade = Fuzzing.bytes(WeightsFileTest.fixture("state_dict_legacy.pth"));
        Fuzzing.run(tmp, SEED, TRIES, List.of(handMade, torchMade), TorchLegacyFuzzTest::mutate, Fuzzing::readWeights);
    }

    private static Mutant mutate(byte[] seed, SplittableRandom random) {
        return random.nextInt(3) == 0 ? Fuzzing.enlargePickleArgument(seed, random) : Fuzzing.generic(seed, random);
    }
}
