package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imet.common.InputException;
import dev.imet.model.TorchFiles.LegacyStorage;
import dev.imet.model.TorchFiles.View;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch files made by hand ({@link TorchFiles}): what is read, and how sizes, shapes and offsets are refused. */
class TorchCheckpointTest {
    private static final float[] SIX = {0, 1, 2, 3, 4, 5};

    @TempDir
    Path tmp;

    @Test
    void readsViewsOnSharedStoragesInBothFormats() throws IOException {
        List<View> views = List.of(View.contiguous("w", "0", 2, 3),
                new View("t", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3}),
                new View("tail", "0", 6, 4, new long[] {2}, new long[] {1}));
        for (Path file : List.of(zip("views.pth", views, SIX), legacy("views_legacy.pth", views, SIX))) {
            LinkedHashMap<String, TensorData> tensors = WeightsFile.read(file).tensors();
            assertThat(tensors.keySet()).containsExactly("w", "t", "tail");
            assertThat(tensors.get("w").toFloats()).containsExactly(SIX);
            assertThat(tensors.get("t").shape()).containsExactly(3, 2);
            assertThat(tensors.get("t").toFloats()).containsExactly(0, 3, 1, 4, 2, 5);
            assertThat(tensors.get("tail").toFloats()).containsExactly(4, 5);
        }
    }

    @Test
    void aViewPastItsStorageIsRefused() throws IOException {
        Path file = zip("past.pth", List.of(new View("w", "0", 6, 3, new long[] {4}, new long[] {1})), SIX);
        assertRefused(file).hasMessageContaining("tensor 'w': offset 3, size [4] and stride [1] reach element 6 of a storage of 6");
    }

    @Test
    void stridesThatOverflowAreRefused() throws IOException {
        long huge = 1L << 62;
        Path file = zip("stride.pth", List.of(new View("w", "0", 6, 0, new long[] {3, 3}, new long[] {huge, huge})), SIX);
        assertRefused(file).hasMessageContaining("reach element 2^63 or more of a storage of 6");
    }

    @Test
    void aShapeWhoseSizeOverflowsIsRefused() throws IOException {
        long big = 1L << 32;
        Path file = zip("shape.pth", List.of(new View("w", "0", 6, 0, new long[] {big, big}, new long[] {0, 0})), SIX);
        assertRefused(file).hasMessageContaining("tensor 'w': shape [4294967296, 4294967296] of f32 is too large");
    }

    @Test
    void expandedViewsMayNotCopyMoreThanTheFileHolds() throws IOException {
        Path file = zip("expanded.pth", List.of(new View("w", "0", 6, 0, new long[] {1 << 20}, new long[] {0})), SIX);
        assertRefused(file).hasMessageContaining("tensor 'w': copying the strided tensors up to it takes more than the file's");
    }

    @Test
    void aStorageOfOver2GiBIsRefusedBeforeItIsRead() throws IOException {
        Path file = zip("huge.pth", List.of(View.contiguous("w", "0", 1L << 40)), SIX);
        assertRefused(file).hasMessageContaining("storage '0' of 1099511627776 f32 elements is too large");
    }

    @Test
    void aZipStorageEntryOfAnotherSizeIsRefused() throws IOException {
        Path file = zip("short.pth", List.of(View.contiguous("w", "0", 2, 4)), SIX);
        assertRefused(file).hasMessageContaining("storage '0' has 24 bytes, its tensors expect 8 x 4");
    }

    @Test
    void aLegacyStorageLargerThanTheFileIsRefusedBeforeItIsRead() throws IOException {
        long numel = 1L << 28;
        byte[] bytes = TorchFiles.legacy(TorchFiles.stateDict(List.of(View.contiguous("w", "0", numel)), true),
                List.of(new LegacyStorage("0", numel, new byte[0])));
        Path file = Files.write(tmp.resolve("big_legacy.pth"), bytes);
        assertRefused(file).hasMessageContaining("storage '0' of 1073741824 bytes is larger than the file");
    }

    @Test
    void aLegacyElementCountOtherThanTheTensorsIsRefused() throws IOException {
        byte[] bytes = TorchFiles.legacy(TorchFiles.stateDict(List.of(View.contiguous("w", "0", 6)), true),
                List.of(new LegacyStorage("0", Long.MAX_VALUE, TorchFiles.floats(SIX))));
        Path file = Files.write(tmp.resolve("count_legacy.pth"), bytes);
        assertRefused(file).hasMessageContaining("storage '0' holds 9223372036854775807 elements, its tensors expect 6");
    }

    @Test
    void aPickledLengthLongerThanThePickleIsRefusedBeforeAllocating() throws IOException {
        byte[] pickle = new PickleBuilder().proto().op('X').int32(Integer.MAX_VALUE - 16).build();
        Path file = Files.write(tmp.resolve("long_string.pth"), TorchFiles.zip(pickle, Map.of()));
        assertRefused(file).hasMessageContaining("malformed pickle: a value of 2147483631 bytes declared in a pickle of at most "
                + pickle.length);
    }

    @Test
    void integersThatDoNotFit64BitsAndNegativeOnesAreRefused() throws IOException {
        byte[] tooBig = new PickleBuilder().proto().global("collections", "OrderedDict").emptyTuple().reduce().mark()
                .string("w").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().string("storage").global("torch", "FloatStorage").string("0").string("cpu").integer(6).tuple()
                .persistentId().integer(-1).longs(6).longs(1).bool(false).none().tuple().reduce()
                .setItems().stop().build();
        Path file = Files.write(tmp.resolve("negative.pth"), TorchFiles.zip(tooBig, Map.of("0", TorchFiles.floats(SIX))));
        assertRefused(file).hasMessageContaining("offset, sizes and strides must be non-negative integers of at most 64 bits");
    }

    @Test
    void unhashableDictKeysAndHugeTextIntegersAreMalformed() throws IOException {
        byte[] listKey = new PickleBuilder().proto().emptyDict().mark().emptyList().string("x").setItems().stop().build();
        assertRefused(Files.write(tmp.resolve("key.pth"), TorchFiles.zip(listKey, Map.of())))
                .hasMessageContaining("malformed pickle: a dict key or set item of type list (Python cannot hash it)");
        PickleBuilder textLong = new PickleBuilder().proto().op('L');
        textLong.bytes(("1".repeat(5000) + "L\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)).stop();
        assertRefused(Files.write(tmp.resolve("long.pth"), TorchFiles.zip(textLong.build(), Map.of())))
                .hasMessageContaining("malformed pickle: a long integer of 5000 characters (at most 100)");
    }

    @Test
    void longRunsOfOpcodesTakeLinearTime() throws IOException {
        int run = 200_000;
        PickleBuilder appends = new PickleBuilder().proto().emptyList();
        PickleBuilder popMarks = new PickleBuilder().proto();
        for (int i = 0; i < run; i++) {
            appends.mark().none().appends();
            popMarks.none();
        }
        for (int i = 0; i < run; i++) {
            popMarks.mark().op('1');
        }
        for (PickleBuilder pickle : List.of(appends, popMarks.emptyList())) {
            Path file = Files.write(tmp.resolve("run.pth"), TorchFiles.zip(pickle.stop().build(), Map.of()));
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertRefused(file)
                    .hasMessageEndingWith(": holds a value of type list, not a state dict"));
        }
    }

    @Test
    void pickleErrorsAreOneLineNamingTheFile() throws IOException {
        byte[] emptyStack = new PickleBuilder().proto().reduce().stop().build();
        Path file = Files.write(tmp.resolve("stack.pth"), TorchFiles.zip(emptyStack, Map.of()));
        assertRefused(file).hasMessage(file + ": malformed pickle: an opcode finds no values or values of the wrong kind");
        byte[] truncated = java.util.Arrays.copyOf(TorchFiles.stateDict(List.of(View.contiguous("w", "0", 6)), false), 40);
        Path cut = Files.write(tmp.resolve("cut.pth"), TorchFiles.zip(truncated, Map.of()));
        assertRefused(cut).hasMessageStartingWith(cut + ": malformed pickle: ");
    }

    @Test
    void namesFromTheFileCannotBreakTheMessageLine() throws IOException {
        Path file = zip("name.pth", List.of(new View("evil\nname\u001b[31m", "0", 6, 5, new long[] {2}, new long[] {1})), SIX);
        assertRefused(file).hasMessageContaining("tensor 'evil\\u000aname\\u001b[31m'");
    }

    private Path zip(String name, List<View> views, float[] storage) throws IOException {
        return Files.write(tmp.resolve(name), TorchFiles.zip(TorchFiles.stateDict(views, false), Map.of("0", TorchFiles.floats(storage))));
    }

    private Path legacy(String name, List<View> views, float[] storage) throws IOException {
        byte[] bytes = TorchFiles.legacy(TorchFiles.stateDict(views, true),
                List.of(new LegacyStorage("0", storage.length, TorchFiles.floats(storage))));
        return Files.write(tmp.resolve(name), bytes);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file) {
        return assertThatThrownBy(() -> WeightsFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": ").hasMessageNotContaining("\n");
    }
}
