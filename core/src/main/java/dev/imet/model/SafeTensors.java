package dev.imet.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import dev.imet.common.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The safetensors format (what Hugging Face's {@code safetensors} library reads and writes): an 8-byte
 * little-endian header length, a JSON header mapping each tensor name to its dtype, shape and byte range, an
 * optional {@code __metadata__} string map, then the raw little-endian data.
 *
 * <p>A file is read only if it passes the checks of the reference implementation ({@code validate} in
 * safetensors' {@code tensor.rs}): the header is at most 100 MB, fits the file, is UTF-8 and a JSON object (here
 * also without duplicate keys); {@code __metadata__} maps strings to strings; every tensor has a known dtype and
 * its shape's size in bytes, computed without overflow, is {@code end - begin}; sorted by offsets, the tensors
 * tile the data buffer from byte 0 to its last byte, with no gap and no overlap.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String METADATA = "__metadata__";
    private static final int LENGTH_BYTES = 8;
    /** The reference implementation's MAX_HEADER_SIZE. */
    private static final long MAX_HEADER_BYTES = 100_000_000;
    /** A tensor's data is one mapped ByteBuffer, which an int indexes. */
    private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;
    private static final int COPY_CHUNK = 1 << 20;
    /** Jackson's note on where an unclosed object or array starts: it names no file and only repeats the position. */
    private static final Pattern JSON_START_MARKER = Pattern.compile("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)");

    private SafeTensors() {}

    /** One tensor's header entry, checked on its own: known dtype, {@code end - begin} bytes of its shape. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** A checked header: where the data starts, the metadata, the tensors in header order. */
    private record Header(long dataStart, Map<String, String> metadata, List<Entry> tensors) {}

    /** The tensors in header order; their data is mapped from the file, not copied. */
    public static LinkedHashMap<String, TensorData> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = header(file, channel);
            LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
            for (Entry entry : header.tensors()) {
                long bytes = entry.end() - entry.begin();
                ByteBuffer data = bytes == 0 ? ByteBuffer.allocate(0)
                        : channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + entry.begin(), bytes);
                tensors.put(entry.name(), new TensorData(entry.dtype(), entry.shape(), data));
            }
            return tensors;
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    /** The header's {@code __metadata__} (string to string), empty when there is none; the whole header is checked. */
    public static Map<String, String> metadata(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, channel).metadata();
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    private static InputException cannotRead(Path file, IOException e) {
        return e instanceof NoSuchFileException ? new InputException(file + ": no such file", e)
                : new InputException(file + ": cannot read: " + WeightsFile.problem(e), e);
    }

    private static Header header(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < LENGTH_BYTES) {
            throw new InputException(file + ": not a safetensors file: " + fileSize
                    + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        long afterLength = fileSize - LENGTH_BYTES;
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new InputException(file + ": safetensors header length " + Long.toUnsignedString(headerLength)
                    + " is over the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > afterLength) {
            throw new InputException(file + ": safetensors header length " + headerLength
                    + " runs past the end of the file, which has " + afterLength + " bytes after the length");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, LENGTH_BYTES);
        Header header = parseHeader(file, json(file, headerBytes.flip()), LENGTH_BYTES + headerLength);
        checkLayout(file, header.tensors(), afterLength - headerLength);
        return header;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }

    private static ObjectNode json(Path file, ByteBuffer headerBytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": safetensors header is not valid UTF-8");
        }
        JsonNode header;
        try {
            header = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": safetensors header is not valid JSON: " + jsonProblem(e));
        }
        if (!(header instanceof ObjectNode object)) {
            throw new InputException(file + ": safetensors header is not a JSON object");
        }
        return object;
    }

    /** Jackson's own description of a parse error, on one line, with the header's line and column. */
    private static String jsonProblem(JsonProcessingException e) {
        String problem = JSON_START_MARKER.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("");
        problem = Printable.of(problem.lines().findFirst().orElse(""));
        JsonLocation at = e.getLocation();
        return at == null ? problem : problem + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static Header parseHeader(Path file, ObjectNode json, long dataStart) {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA)) {
                metadata = metadata(file, field.getValue());
            } else {
                tensors.add(entry(file + ": tensor " + WeightsFile.quote(field.getKey()), field.getKey(), field.getValue()));
            }
        }
        return new Header(dataStart, metadata, tensors);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        InputException notStrings = new InputException(file + ": safetensors " + METADATA + " must map strings to strings");
        if (!node.isObject()) {
            throw notStrings;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw notStrings;
            }
            metadata.put(field.getKey(), field.getValue().asText());
        }
        return metadata;
    }

    /** A header entry's dtype, shape and offsets, each checked, and the shape's size against the offsets. */
    private static Entry entry(String where, String name, JsonNode node) {
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (!node.isObject() || dtypeNode == null || shapeNode == null || offsets == null) {
            throw new InputException(where + ": header entry needs dtype, shape and data_offsets [begin, end]");
        }
        DType dtype = dtypeNode.isTextual() ? DType.fromSafetensors(dtypeNode.asText()) : null;
        if (dtype == null) {
            throw new InputException(where + ": unsupported dtype " + WeightsFile.quote(dtypeNode.asText())
                    + " (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        if (!shapeNode.isArray() || !allNonNegativeLongs(shapeNode)) {
            throw new InputException(where + ": shape must be a list of non-negative integers of at most 64 bits");
        }
        if (!offsets.isArray() || offsets.size() != 2 || !allNonNegativeLongs(offsets)) {
            throw new InputException(where + ": data_offsets must be [begin, end], non-negative integers of at most 64 bits");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).longValue();
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (end < begin) {
            throw new InputException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long bytes = TensorData.declaredByteSize(where, dtype, shape);
        if (end - begin != bytes) {
            throw new InputException(where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes, but " + dtype + TensorData.formatShape(shape) + " needs " + bytes);
        }
        if (bytes > MAX_TENSOR_BYTES) {
            throw new InputException(where + ": " + bytes + " bytes of data; tensors over 2 GiB are not supported");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static boolean allNonNegativeLongs(JsonNode array) {
        for (JsonNode value : array) {
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tensors, sorted by offsets, must tile the data buffer of {@code dataSize} bytes: the first begins at 0,
     * each begins where the one before ends, the last ends at the end of the file.
     */
    private static void checkLayout(Path file, List<Entry> tensors, long dataSize) {
        List<Entry> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry t : byOffset) {
            if (t.begin() < covered) {
                throw new InputException(where(file, t) + ": data_offsets " + offsets(t) + " overlap those of tensor "
                        + WeightsFile.quote(previous.name()) + " " + offsets(previous));
            }
            if (t.begin() > covered) {
                throw new InputException(where(file, t) + ": data_offsets " + offsets(t) + " leave data bytes " + covered
                        + " to " + t.begin() + " unused (" + (previous == null ? "no tensor begins at 0"
                        : "tensor " + WeightsFile.quote(previous.name()) + " ends at " + covered) + ")");
            }
            covered = t.end();
            previous = t;
        }
        if (covered > dataSize) {
            throw new InputException(where(file, previous) + ": data_offsets " + offsets(previous)
                    + " run past the end of the data, which has " + dataSize + " bytes (is the file truncated?)");
        }
        if (covered < dataSize) {
            throw new InputException(file + ": the last " + (dataSize - covered) + " of its " + dataSize
                    + " data bytes belong to no tensor");
        }
    }

    private static String where(Path file, Entry t) {
        return file + ": tensor " + WeightsFile.quote(t.name());
    }

    private static String offsets(Entry t) {
        return "[" + t.begin() + ", " + t.end() + "]";
    }

    /**
     * Writes {@code tensors} in their order, atomically, with {@code metadata} as {@code __metadata__}, its keys
     * sorted: the same content gives the same bytes whatever map the caller passes ({@code Map.of}'s order changes
     * from one JVM to the next, which made a resumed run's model file differ from the uninterrupted one's).
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            new java.util.TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            long length = TensorData.byteSize(t.dtype(), t.shape());
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().name());
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the safetensors library pads the header with spaces so that the data starts 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (TensorData t : tensors.values()) {
                copy(t.data(), out);
            }
        });
    }

    private static void copy(ByteBuffer data, OutputStream out) throws IOException {
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(COPY_CHUNK, data.remaining())];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }
}
