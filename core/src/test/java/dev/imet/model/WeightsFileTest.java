package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imet.common.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the fixture files that torch and numpy wrote (see src/test/resources/weights/make_fixtures.py). */
class WeightsFileTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(WeightsFileTest.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(fixture("expected.json").toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.pth", "state_dict_legacy.pth", "state_dict.npz"})
    void readsEveryTensorWithItsShapeAndValues(String name) throws IOException {
        WeightsFile.Contents contents = WeightsFile.read(fixture(name));
        JsonNode expected = expected();
        List<String> expectedNames = new java.util.ArrayList<>();
        expected.fieldNames().forEachRemaining(n -> {
            if (!(name.endsWith(".npz") && n.equals("bfloat"))) {
                expectedNames.add(n);
            }
        });
        assertThat(contents.tensors().keySet()).containsExactlyElementsOf(expectedNames);
        for (String n : expectedNames) {
            TensorData t = contents.tensors().get(n);
            JsonNode e = expected.get(n);
            long[] shape = new long[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.get("shape").get(i).asLong();
            }
            assertThat(t.shape()).as(n).containsExactly(shape);
            float[] values = t.toFloats();
            assertThat(values).as(n).hasSize(e.get("values").size());
            for (int i = 0; i < values.length; i++) {
                assertThat(values[i]).as(n + "[" + i + "]").isEqualTo((float) e.get("values").get(i).asDouble());
            }
        }
        assertThat(contents.tensors().get("half").dtype()).isEqualTo(DType.F16);
        assertThat(contents.tensors().get("double").dtype()).isEqualTo(DType.F64);
        assertThat(contents.tensors().get("bn.num_batches_tracked").dtype()).isEqualTo(DType.I64);
        assertThat(contents.tensors().get("bn.num_batches_tracked").shape()).isEmpty();
    }

    @Test
    void recognisesTheFormatByContent() {
        assertThat(WeightsFile.read(fixture("state_dict.pth")).format()).isEqualTo(WeightsFile.Format.TORCH_ZIP);
        assertThat(WeightsFile.read(fixture("state_dict_legacy.pth")).format()).isEqualTo(WeightsFile.Format.TORCH_LEGACY);
        assertThat(WeightsFile.read(fixture("state_dict.npz")).format()).isEqualTo(WeightsFile.Format.NPZ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"malicious.pth", "malicious_legacy.pth", "malicious_protocol4.pkl"})
    void refusesAPickleThatAsksForMoreThanAStateDict(String name) throws IOException {
        Path marker = Path.of("/tmp/imet_pwned");
        Files.deleteIfExists(marker);
        assertThatThrownBy(() -> WeightsFile.read(fixture(name)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("refused: the pickle asks for posix.system");
        assertThat(marker).doesNotExist();
    }

    @Test
    void safetensorsRoundTripIsBitForBit() throws IOException {
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("f32", TensorData.ofFloats(new long[] {2, 3}, new float[] {1.5f, -0f, Float.NaN, 1e-42f, 3, 4}));
        tensors.put("counter", TensorData.scalarLong(12345678901L));
        tensors.put("f16", new TensorData(DType.F16, new long[] {2}, bytes(0x00, 0x3c, 0x01, 0x80)));
        tensors.put("bf16", new TensorData(DType.BF16, new long[] {1}, bytes(0x80, 0x3f)));
        tensors.put("f64", new TensorData(DType.F64, new long[] {1},
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, Math.PI)));
        tensors.put("empty", new TensorData(DType.F32, new long[] {0, 4}, ByteBuffer.allocate(0)));
        Path file = tmp.resolve("t.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt"));
        LinkedHashMap<String, TensorData> back = SafeTensors.read(file);
        assertThat(back).containsExactlyEntriesOf(tensors);
        Path again = tmp.resolve("again.safetensors");
        SafeTensors.write(again, back, Map.of("format", "pt"));
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
        assertThat(back.get("f16").toFloats()).containsExactly(1f, -0x1p-24f);
        assertThat(back.get("bf16").toFloats()).containsExactly(1f);
        // the data starts 8-byte aligned, as the safetensors library writes it
        assertThat(ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() % 8).isZero();
    }

    @Test
    void halfPrecisionWidensExactly() {
        assertThat(TensorData.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TensorData.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TensorData.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TensorData.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TensorData.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(TensorData.halfToFloat((short) 0x7e00)).isNaN();
        assertThat(Float.floatToIntBits(TensorData.halfToFloat((short) 0x8000))).isEqualTo(Float.floatToIntBits(-0f));
    }

    @Test
    void shapesPrintAsPyTorchPrintsThemAndHostileOnesStayShort() {
        assertThat(TensorData.formatShape(new long[] {64, 3, 7, 7})).isEqualTo("[64, 3, 7, 7]");
        assertThat(TensorData.formatShape(new long[0])).isEqualTo("[]");
        assertThat(TensorData.formatShape(new long[100_000]))
                .isEqualTo("[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ... (100000 dimensions)]");
    }

    @Test
    void badFilesGetAMessageNamingThem() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.pth"), "hello world, not weights");
        assertThatThrownBy(() -> WeightsFile.read(text)).isInstanceOf(InputException.class)
                .hasMessageContaining("notes.pth").hasMessageContaining("not a weights file");
        assertThatThrownBy(() -> WeightsFile.read(tmp.resolve("absent.safetensors"))).isInstanceOf(InputException.class)
                .hasMessageContaining("no such file");
        Path truncated = tmp.resolve("cut.safetensors");
        SafeTensors.write(truncated, Map.of("w", TensorData.ofFloats(new long[] {4}, new float[4])), null);
        byte[] all = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(all, all.length - 4));
        assertThatThrownBy(() -> WeightsFile.read(truncated)).isInstanceOf(InputException.class)
                .hasMessageContaining("cut.safetensors").hasMessageContaining("'w'");
        Path badDtype = tmp.resolve("dtype.safetensors");
        writeRawSafetensors(badDtype, "{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> WeightsFile.read(badDtype)).isInstanceOf(InputException.class)
                .hasMessageContaining("unsupported dtype 'C64'");
    }

    @Test
    void aDirectoryIsNamedAsOne() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        assertThatThrownBy(() -> WeightsFile.read(dir)).isInstanceOf(InputException.class)
                .hasMessage(dir + ": is a directory, not a weights file (expected .safetensors, .npz, or a PyTorch"
                        + " .pth/.pt state dict in zip or legacy format; a model folder keeps its weights in model.safetensors)");
    }

    @Test
    void prefixMappingRenamesLeadingParts() {
        PrefixMapping mapping = PrefixMapping.parse("module.=,backbone.=model.");
        assertThat(mapping.apply("module.conv1.weight")).isEqualTo("conv1.weight");
        assertThat(mapping.apply("backbone.fc.bias")).isEqualTo("model.fc.bias");
        assertThat(mapping.apply("fc.bias")).isEqualTo("fc.bias");
        assertThat(PrefixMapping.parse(null).apply("x")).isEqualTo("x");
        assertThat(PrefixMapping.parse("=net.").apply("x")).isEqualTo("net.x");
        assertThatThrownBy(() -> PrefixMapping.parse("module.")).isInstanceOf(InputException.class)
                .hasMessageContaining("OLD=NEW");
    }

    private static void writeRawSafetensors(Path file, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(file, b.array());
    }

    private static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }
}
