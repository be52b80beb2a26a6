package dev.imet.model;

import dev.imet.model.Fuzzing.Mutant;
import dev.imet.model.TorchFiles.LegacyStorage;
import dev.imet.model.TorchFiles.View;
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
        List<View> views = List.of(View.contiguous("conv.weight", "0", 2, 3),
                new View("fc.weight", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3}),
                View.contiguous("fc.bias", "1", 2));
        byte[] handMade = TorchFiles.legacy(TorchFiles.stateDict(views, true),
                List.of(new LegacyStorage("0", 6, TorchFiles.floats(0, 1, 2, 3, 4, 5)),
                        new LegacyStorage("1", 2, TorchFiles.floats(-1, 1))));
        byte[] torchMade = Fuzzing.bytes(WeightsFileTest.fixture("state_dict_legacy.pth"));
        Fuzzing.run(tmp, SEED, TRIES, List.of(handMade, torchMade), TorchLegacyFuzzTest::mutate, Fuzzing::readWeights);
    }

    private static Mutant mutate(byte[] seed, SplittableRandom random) {
        return random.nextInt(3) == 0 ? Fuzzing.enlargePickleArgument(seed, random) : Fuzzing.generic(seed, random);
    }
}
