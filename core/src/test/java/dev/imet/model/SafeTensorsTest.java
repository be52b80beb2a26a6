package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header checks of the reference implementation ({@code validate} in safetensors' tensor.rs), one by one. */
class SafeTensorsTest {
    @TempDir
    Path tmp;

    @Test
    void aShapeWhoseSizeOverflowsIsRefused() throws IOException {
        Path file = raw("overflow", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0);
        assertRefused(file).hasMessage(file + ": tensor 'w': shape [4294967296, 4294967296] of f32 is too large"
                + " (its size overflows 64 bits)");
    }

    @Test
    void aHugeShapeWithEmptyOffsetsIsRefused() throws IOException {
        Path f32 = raw("huge_f32", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648],\"data_offsets\":[0,0]}}", 0);
        assertRefused(f32).hasMessageContaining("tensor 'w': shape [2147483648, 2147483648] of f32 is too large");
        Path u8 = raw("huge_u8", "{\"w\":{\"dtype\":\"U8\",\"shape\":[2147483648,2147483648],\"data_offsets\":[0,0]}}", 0);
        assertRefused(u8).hasMessage(u8 + ": tensor 'w': data_offsets [0, 0] hold 0 bytes, but u8[2147483648, 2147483648]"
                + " needs 4611686018427387904");
    }

    @Test
    void overlappingOffsetsAreRefused() throws IOException {
        Path file = raw("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertRefused(file).hasMessage(file + ": tensor 'b': data_offsets [4, 8] overlap those of tensor 'a' [0, 8]");
        Path same = raw("same", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        assertRefused(same).hasMessageContaining("overlap those of tensor");
    }

    @Test
    void aGapBetweenTensorsIsRefused() throws IOException {
        Path file = raw("gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12);
        assertRefused(file).hasMessage(file + ": tensor 'b': data_offsets [8, 12] leave data bytes 4 to 8 unused"
                + " (tensor 'a' ends at 4)");
        Path first = raw("late_start", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertRefused(first).hasMessageContaining("leave data bytes 0 to 4 unused (no tensor begins at 0)");
    }

    @Test
    void theTensorsMustCoverTheDataExactly() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertRefused(raw("trailing", header, 12)).hasMessageContaining(": the last 8 of its 12 data bytes belong to no tensor");
        assertRefused(raw("truncated", header, 2))
                .hasMessageContaining("tensor 'a': data_offsets [0, 4] run past the end of the data, which has 2 bytes");
    }

    @Test
    void offsetsAndSizesMustAgree() throws IOException {
        assertRefused(raw("size", "{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("tensor 'a': data_offsets [0, 4] hold 4 bytes, but f16[3] needs 6");
        assertRefused(raw("backwards", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4))
                .hasMessageContaining("data_offsets [4, 0] end before they begin");
        assertRefused(raw("negative", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("shape must be a list of non-negative integers");
        assertRefused(raw("fraction", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.0]}}", 4))
                .hasMessageContaining("data_offsets must be [begin, end]");
        assertRefused(raw("bignum", "{\"a\":{\"dtype\":\"F32\",\"shape\":[18446744073709551617],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("at most 64 bits");
    }

    @Test
    void tensorsInAnyHeaderOrderAreSortedByOffset() throws IOException {
        Path file = raw("order", "{\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[4,5]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[5,5]}}", 5);
        LinkedHashMap<String, TensorData> tensors = SafeTensors.read(file);
        assertThat(tensors.keySet()).containsExactly("b", "a", "empty");
        assertThat(tensors.get("b").data().remaining()).isEqualTo(1);
    }

    @Test
    void aHeaderThatFitsTheFileExactlyIsRead() throws IOException {
        Path meta = raw("meta_only", "{\"__metadata__\":{\"format\":\"pt\"}}", 0);
        assertThat(SafeTensors.read(meta)).isEmpty();
        assertThat(SafeTensors.metadata(meta)).containsExactly(Map.entry("format", "pt"));
        Path empty = raw("empty_tensor", "{\"e\":{\"dtype\":\"I64\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0);
        assertThat(SafeTensors.read(empty).get("e").shape()).containsExactly(0);
        Path written = tmp.resolve("written.safetensors");
        SafeTensors.write(written, Map.of(), Map.of("format", "pt"));
        assertThat(SafeTensors.read(written)).isEmpty();
    }

    @Test
    void theSameContentGivesTheSameBytesWhateverTheMetadataMapsOrder() throws IOException {
        Map<String, TensorData> tensors = Map.of("w", TensorData.ofFloats(new long[] {2}, new float[] {1f, 2f}));
        Map<String, String> oneOrder = new LinkedHashMap<>();
        oneOrder.put("format", "pt");
        oneOrder.put("arch", "resnet18");
        Map<String, String> otherOrder = new LinkedHashMap<>();
        otherOrder.put("arch", "resnet18");
        otherOrder.put("format", "pt");
        Path first = tmp.resolve("first.safetensors");
        Path second = tmp.resolve("second.safetensors");
        SafeTensors.write(first, tensors, oneOrder);
        SafeTensors.write(second, tensors, otherOrder);
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
        assertThat(SafeTensors.metadata(first)).containsExactly(Map.entry("arch", "resnet18"), Map.entry("format", "pt"));
    }

    @Test
    void theHeaderLengthMustFitTheFileAndTheLimit() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path past = raw("past", header, 4, header.length() + 5);
        assertRefused(past).hasMessage(past + ": safetensors header length " + (header.length() + 5)
                + " runs past the end of the file, which has " + (header.length() + 4) + " bytes after the length");
        assertRefused(raw("limit", header, 4, -1)).hasMessageContaining("header length 18446744073709551615 is over the limit"
                + " of 100000000 bytes");
        Path tiny = Files.write(tmp.resolve("tiny.safetensors"), new byte[] {2, 0, 0});
        assertRefused(tiny).hasMessageContaining("shorter than the 8-byte header length");
    }

    @Test
    void anInvalidHeaderGetsOneCleanLine() throws IOException {
        Path file = raw("unclosed", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 4);
        assertRefused(file).hasMessageStartingWith(file + ": safetensors header is not valid JSON: Unexpected end-of-input")
                .hasMessageEndingWith("(line 1, column 54)").hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED");
        assertRefused(raw("duplicate", "{\"a\":{},\"a\":{}}", 0)).hasMessageContaining("Duplicate field 'a'");
        assertRefused(raw("trailing_json", "{} {}", 0)).hasMessageContaining("not valid JSON");
        assertRefused(raw("array", "[1]", 0)).hasMessageContaining("safetensors header is not a JSON object");
        assertRefused(raw("not_object", "{\"a\":[]}", 0)).hasMessageContaining("tensor 'a': header entry needs dtype");
    }

    @Test
    void theHeaderMustBeUtf8AndTheMetadataStrings() throws IOException {
        byte[] latin1 = "{\"\u00e9\":{}}".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(raw("latin1", latin1, 0, latin1.length)).hasMessageContaining("safetensors header is not valid UTF-8");
        assertRefused(raw("meta", "{\"__metadata__\":{\"epoch\":3}}", 0))
                .hasMessageContaining("safetensors __metadata__ must map strings to strings");
        assertThatThrownBy(() -> SafeTensors.metadata(tmp.resolve("meta.safetensors"))).isInstanceOf(InputException.class);
    }

    @Test
    void namesAndDtypesFromTheFileCannotBreakTheMessageLine() throws IOException {
        Path file = raw("name", "{\"a\\nb\\u001b\":{\"dtype\":\"F32\\n\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        assertRefused(file).hasMessage(file + ": tensor 'a\\u000ab\\u001b': unsupported dtype 'F32\\u000a'"
                + " (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return raw(name, json, dataBytes, json.length);
    }

    private Path raw(String name, String header, int dataBytes, long lengthField) throws IOException {
        return raw(name, header.getBytes(StandardCharsets.UTF_8), dataBytes, lengthField);
    }

    /** A file of the 8-byte length {@code lengthField}, the header bytes and {@code dataBytes} zero bytes. */
    private Path raw(String name, byte[] header, int dataBytes, long lengthField) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lengthField).put(header);
        return Files.write(tmp.resolve(name + ".safetensors"), b.array());
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file) {
        return assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": ").hasMessageNotContaining("\n");
    }
}
