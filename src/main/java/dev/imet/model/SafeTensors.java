package dev.imet.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (what Hugging Face's {@code safetensors} library reads and writes): an 8-byte
 * little-endian header length, a JSON header mapping each tensor name to its dtype, shape and byte range, an
 * optional {@code __metadata__} string map, then the raw little-endian data.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final int COPY_CHUNK = 1 << 20;

    private SafeTensors() {}

    /** The tensors in header order; their data is mapped from the file, not copied. */
    public static LinkedHashMap<String, TensorData> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JsonNode header = header(file, channel);
            long dataStart = 8 + headerLength(file, channel);
            long dataSize = channel.size() - dataStart;
            LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().equals(METADATA)) {
                    continue;
                }
                tensors.put(entry.getKey(), tensor(file, channel, entry.getKey(), entry.getValue(), dataStart, dataSize));
            }
            return tensors;
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The header's {@code __metadata__} (string to string), empty when there is none. */
    public static Map<String, String> metadata(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JsonNode meta = header(file, channel).get(METADATA);
            Map<String, String> result = new LinkedHashMap<>();
            if (meta != null && meta.isObject()) {
                meta.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
            }
            return result;
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static long headerLength(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (fileSize < 8) {
            throw new InputException(file + ": not a safetensors file (shorter than its 8-byte header length)");
        }
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
            throw new InputException(file + ": not a safetensors file (header length " + headerLength
                    + " does not fit a file of " + fileSize + " bytes)");
        }
        return headerLength;
    }

    private static JsonNode header(Path file, FileChannel channel) throws IOException {
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength(file, channel));
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InputException(file + ": safetensors header is not valid JSON: " + e.getMessage());
        }
        if (header == null || !header.isObject()) {
            throw new InputException(file + ": safetensors header is not a JSON object");
        }
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

    private static TensorData tensor(Path file, FileChannel channel, String name, JsonNode node, long dataStart, long dataSize)
            throws IOException {
        String where = file + ": tensor '" + name + "'";
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray()
                || offsets.size() != 2) {
            throw new InputException(where + ": header entry needs dtype, shape and data_offsets [begin, end]");
        }
        DType dtype = DType.fromSafetensors(dtypeNode.asText());
        if (dtype == null) {
            throw new InputException(where + ": unsupported dtype " + dtypeNode.asText()
                    + " (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                throw new InputException(where + ": bad shape " + shapeNode);
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        long expected = TensorData.numel(shape) * dtype.size();
        if (begin < 0 || end < begin || end > dataSize || end - begin != expected) {
            throw new InputException(where + ": data_offsets " + offsets + " do not hold " + expected
                    + " bytes of " + dtype + TensorData.formatShape(shape) + " within " + dataSize + " data bytes");
        }
        ByteBuffer data = expected == 0 ? ByteBuffer.allocate(0)
                : channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, expected);
        return new TensorData(dtype, shape, data);
    }

    /** Writes {@code tensors} in their order, atomically, with {@code metadata} as {@code __metadata__}. */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            long length = t.numel() * t.dtype().size();
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
