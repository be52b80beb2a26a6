package dev.imet.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Small PyTorch state dicts made by hand, in the layout {@code torch.save} writes (there is no Java writer for
 * them): float32 tensors, each a view (offset, size, stride) on a storage, in the zip or the legacy format.
 */
final class TorchFiles {
    /** A tensor of the state dict: {@code name} views {@code storage} (of {@code storageNumel} floats). */
    record View(String name, String storage, long storageNumel, long offset, long[] size, long[] stride) {
        static View contiguous(String name, String storage, long... size) {
            long[] stride = new long[size.length];
            long numel = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                stride[d] = numel;
                numel *= size[d];
            }
            return new View(name, storage, numel, 0, size, stride);
        }
    }

    /** One legacy storage record: the element count written before the data, and the data. */
    record LegacyStorage(String key, long count, byte[] data) {}

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    /**
     * The fuzz tests' hand-made state dict: a contiguous weight in storage 0, a transposed view of the same storage
     * and a bias in storage 1 (values in {@link #SAMPLE_STORAGE_0}, {@link #SAMPLE_STORAGE_1}).
     */
    static final List<View> SAMPLE_VIEWS = List.of(View.contiguous("conv.weight", "0", 2, 3),
            new View("fc.weight", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3}),
            View.contiguous("fc.bias", "1", 2));
    static final float[] SAMPLE_STORAGE_0 = {0, 1, 2, 3, 4, 5};
    static final float[] SAMPLE_STORAGE_1 = {-1, 1};

    private TorchFiles() {}

    /** The pickle of an OrderedDict of the views; a legacy pickle's storage ids have a sixth item (no view). */
    static byte[] stateDict(List<View> views, boolean legacy) {
        PickleBuilder p = new PickleBuilder().proto().global("collections", "OrderedDict").emptyTuple().reduce().mark();
        for (View v : views) {
            p.string(v.name()).global("torch._utils", "_rebuild_tensor_v2").mark();
            p.mark().string("storage").global("torch", "FloatStorage").string(v.storage()).string("cpu").integer(v.storageNumel());
            if (legacy) {
                p.none();
            }
            p.tuple().persistentId();
            p.integer(v.offset()).longs(v.size()).longs(v.stride()).bool(false)
                    .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        }
        return p.setItems().stop().build();
    }

    /** A zip as torch.save writes it: {@code archive/data.pkl}, the storages as {@code archive/data/KEY}, stored. */
    static byte[] zip(byte[] dataPickle, Map<String, byte[]> storages) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", dataPickle);
        entries.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        storages.forEach((key, data) -> entries.put("archive/data/" + key, data));
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return storedZip(entries);
    }

    /** A legacy file: magic number, protocol, system info, the state dict, the storage keys, the storages. */
    static byte[] legacy(byte[] stateDictPickle, List<LegacyStorage> storages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleBuilder().proto().bigInteger(LEGACY_MAGIC).stop().build());
        out.writeBytes(new PickleBuilder().proto().integer(1001).stop().build());
        out.writeBytes(new PickleBuilder().proto().emptyDict().mark().string("protocol_version").integer(1001)
                .string("little_endian").bool(true).setItems().stop().build());
        out.writeBytes(stateDictPickle);
        PickleBuilder keys = new PickleBuilder().proto().emptyList().mark();
        storages.forEach(s -> keys.string(s.key()));
        out.writeBytes(keys.appends().stop().build());
        for (LegacyStorage s : storages) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.count()).array());
            out.writeBytes(s.data());
        }
        return out.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** A zip of stored (uncompressed) entries, in order, with their CRCs. */
    static byte[] storedZip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The entries of a valid zip, in order (read with ZipFile: torch's stored entries have data descriptors). */
    static LinkedHashMap<String, byte[]> entries(byte[] zipBytes) {
        LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
        try {
            Path file = Files.createTempFile("entries", ".zip");
            try (ZipFile zip = new ZipFile(Files.write(file, zipBytes).toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    try (InputStream in = zip.getInputStream(e)) {
                        entries.put(e.getName(), in.readAllBytes());
                    }
                }
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
