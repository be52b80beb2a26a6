package dev.imet.model;

import dev.imet.common.InputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;

/**
 * Reads a state dict that {@code torch.save} wrote, in either of its formats:
 * <ul>
 *   <li>zip (PyTorch 1.6 and later): {@code DIR/data.pkl} pickles the dict, whose tensors refer by persistent id
 *       to storages stored raw as {@code DIR/data/KEY};</li>
 *   <li>legacy: four pickles in a row (magic number, protocol version, system info, the dict), then a pickled
 *       list of storage keys, then each storage as an 8-byte little-endian element count and its raw bytes.</li>
 * </ul>
 * Unpickling goes through {@link RestrictedUnpickler}: only OrderedDict, torch's tensor rebuild functions and
 * the typed storage classes are known; anything else is refused before it is constructed.
 *
 * <p>The numbers in the file are checked before anything is allocated, overflow-safe: a storage's size in bytes
 * fits a Java array and is its zip entry's size, or, in the legacy format, the element count stored before it and
 * at most the file's size; a tensor's offset, sizes and strides reach only elements of its storage; copies of
 * non-contiguous tensors together take at most the file's size (a state dict stores each value once).
 */
public final class TorchCheckpoint {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;
    /** Keys under which training checkpoints nest the state dict. */
    private static final List<String> NESTED_STATE_DICT_KEYS = List.of("state_dict", "model_state_dict", "model");
    /** A storage is read into one Java array. */
    private static final long MAX_STORAGE_BYTES = Integer.MAX_VALUE - 8;
    /** {@code byteorder} holds "little" or "big"; a few more bytes show what else it holds. */
    private static final int BYTE_ORDER_BYTES = 16;

    private TorchCheckpoint() {}

    /** A storage a tensor refers to: element type, key in the file, size in elements and in bytes (checked). */
    private record StorageRef(DType dtype, String key, long numel, int bytes) {}

    /** A tensor as pickled: a strided view on a storage. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** {@code torch.FloatStorage} etc.: only ever named inside a storage's persistent id, never called. */
    private record StorageType(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("a storage class is called, not just named");
        }
    }

    /** True if the zip archive holds a top-level {@code DIR/data.pkl}, as {@code torch.save} writes it. */
    static boolean isZipCheckpoint(ZipFile zip) {
        return dataPickle(zip) != null;
    }

    /** The tensors of the state dict in its order. */
    public static LinkedHashMap<String, TensorData> read(Path file) {
        byte[] head;
        long fileSize;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + WeightsFile.problem(e), e);
        }
        if (head.length == 2 && head[0] == 'P' && head[1] == 'K') {
            return readZip(file, fileSize);
        }
        if (head.length == 2 && (head[0] & 0xff) == 0x80) {
            return readLegacy(file, fileSize);
        }
        throw new InputException(file + ": not a PyTorch file (neither a zip archive nor a pickle)");
    }

    private static ZipEntry dataPickle(ZipFile zip) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry e = entries.nextElement();
            String name = e.getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                return e;
            }
        }
        return null;
    }

    private static LinkedHashMap<String, TensorData> readZip(Path file, long fileSize) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = dataPickle(zip);
            if (pickle == null) {
                throw new InputException(file + ": a zip archive without DIR/data.pkl is not a PyTorch file");
            }
            String dir = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            checkByteOrder(file, zip, dir);
            Map<String, StorageRef> storages = new HashMap<>();
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pickle))) {
                root = unpickle(file, in, pickle.getSize(), pid -> storage(file, pid, 5, storages));
            }
            Map<String, ByteBuffer> loaded = new HashMap<>();
            return tensors(file, root, fileSize,
                    ref -> loaded.computeIfAbsent(ref.key(), key -> zipStorage(file, zip, dir, ref)));
        } catch (IOException e) {
            throw new InputException(file + ": cannot read as a PyTorch zip file: " + WeightsFile.problem(e), e);
        }
    }

    private static void checkByteOrder(Path file, ZipFile zip, String dir) throws IOException {
        ZipEntry byteOrder = zip.getEntry(dir + "byteorder");
        if (byteOrder == null) {
            return;
        }
        try (InputStream in = zip.getInputStream(byteOrder)) {
            String order = new String(in.readNBytes(BYTE_ORDER_BYTES), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new InputException(file + ": byte order " + WeightsFile.quote(order)
                        + " is not supported (little-endian only)");
            }
        }
    }

    /** A storage's entry, whose size must be the storage's before it is read. */
    private static ByteBuffer zipStorage(Path file, ZipFile zip, String dir, StorageRef ref) {
        String name = dir + "data/" + ref.key();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new InputException(file + ": storage " + WeightsFile.quote(ref.key()) + " is missing (no entry "
                    + WeightsFile.quote(name) + ")");
        }
        if (entry.getSize() != ref.bytes()) {
            throw new InputException(file + ": storage " + WeightsFile.quote(ref.key()) + " has " + entry.getSize()
                    + " bytes, its tensors expect " + ref.numel() + " x " + ref.dtype().size());
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return storageBytes(file, ref, in);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read storage " + WeightsFile.quote(ref.key()) + ": "
                    + WeightsFile.problem(e), e);
        }
    }

    private static LinkedHashMap<String, TensorData> readLegacy(Path file, long fileSize) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Object magic = unpickle(file, in, fileSize, null);
            if (!(magic instanceof Number n) || !LEGACY_MAGIC.equals(bigInteger(n))) {
                throw new InputException(file + ": a pickle, but not a PyTorch file (no PyTorch magic number)");
            }
            Object protocol = unpickle(file, in, fileSize, null);
            boolean isLong = protocol instanceof Integer || protocol instanceof Long;
            if (!isLong || ((Number) protocol).longValue() != LEGACY_PROTOCOL) {
                throw new InputException(file + ": unsupported PyTorch legacy protocol "
                        + (isLong ? protocol : "(a value of type " + RestrictedUnpickler.typeOf(protocol) + ")"));
            }
            Object sysInfo = unpickle(file, in, fileSize, null);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new InputException(file + ": written on a big-endian machine; not supported");
            }
            Map<String, StorageRef> storages = new HashMap<>();
            Object root = unpickle(file, in, fileSize, pid -> storage(file, pid, 6, storages));
            Object keys = unpickle(file, in, fileSize, null);
            if (!(keys instanceof List<?> keyList)) {
                throw new InputException(file + ": storage key list missing after the pickled object");
            }
            Map<String, ByteBuffer> loaded = new HashMap<>();
            for (Object key : keyList) {
                if (!(key instanceof String name)) {
                    throw new InputException(file + ": the storage key list holds a value of type "
                            + RestrictedUnpickler.typeOf(key) + ", not a key");
                }
                StorageRef ref = storages.get(name);
                if (ref == null) {
                    throw new InputException(file + ": storage " + WeightsFile.quote(name)
                            + " is stored but no tensor refers to it");
                }
                byte[] countBytes = in.readNBytes(8);
                if (countBytes.length < 8) {
                    throw new InputException(file + ": truncated before storage " + WeightsFile.quote(name));
                }
                long count = ByteBuffer.wrap(countBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (count != ref.numel()) {
                    throw new InputException(file + ": storage " + WeightsFile.quote(name) + " holds " + count
                            + " elements, its tensors expect " + ref.numel());
                }
                if (ref.bytes() > fileSize) {
                    throw new InputException(file + ": storage " + WeightsFile.quote(name) + " of " + ref.bytes()
                            + " bytes is larger than the file (" + fileSize + " bytes)");
                }
                loaded.put(name, storageBytes(file, ref, in));
            }
            return tensors(file, root, fileSize, ref -> {
                ByteBuffer bytes = loaded.get(ref.key());
                if (bytes == null) {
                    throw new InputException(file + ": storage " + WeightsFile.quote(ref.key())
                            + " is referred to but not stored");
                }
                return bytes;
            });
        } catch (IOException e) {
            throw new InputException(file + ": cannot read as a legacy PyTorch file: " + WeightsFile.problem(e), e);
        }
    }

    private static BigInteger bigInteger(Number n) {
        return n instanceof BigInteger big ? big
                : n instanceof Long || n instanceof Integer ? BigInteger.valueOf(n.longValue()) : null;
    }

    /** The storage's bytes, exactly its size (checked before): read in chunks, so a short stream allocates little. */
    private static ByteBuffer storageBytes(Path file, StorageRef ref, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(ref.bytes());
        if (bytes.length != ref.bytes()) {
            throw new InputException(file + ": storage " + WeightsFile.quote(ref.key()) + " is truncated: "
                    + bytes.length + " of " + ref.bytes() + " bytes");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Object unpickle(Path file, InputStream in, long pickleBytes, Function<Object, Object> persistentLoader) {
        RestrictedUnpickler unpickler = new RestrictedUnpickler(file.toString(), globals(file), persistentLoader, pickleBytes);
        try {
            return unpickler.load(in);
        } catch (InputException e) {
            throw e;
        } catch (IOException | PickleException e) {
            throw new InputException(file + ": malformed pickle: " + WeightsFile.problem(e), e);
        } catch (RuntimeException e) {
            // razorvine trusts the opcodes' order: a wrong one shows as a cast or an empty stack
            throw new InputException(file + ": malformed pickle: an opcode finds no values or values of the wrong kind", e);
        }
    }

    /** The only globals a state dict pickle may name. */
    private static Map<String, IObjectConstructor> globals(Path file) {
        Map<String, IObjectConstructor> globals = new HashMap<>();
        globals.put("collections.OrderedDict", args -> orderedDict(file, args));
        globals.put("torch._utils._rebuild_tensor_v2", args -> tensorRef(file, args));
        globals.put("torch._utils._rebuild_tensor", args -> tensorRef(file, args));
        globals.put("torch._utils._rebuild_parameter", args -> {
            if (args.length < 1 || !(args[0] instanceof TensorRef)) {
                throw new InputException(file + ": malformed parameter record");
            }
            return args[0];
        });
        for (DType dtype : DType.values()) {
            globals.put("torch." + dtype.torchStorage(), new StorageType(dtype));
        }
        return globals;
    }

    private static Object orderedDict(Path file, Object[] args) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (!(pair instanceof Object[] kv) || kv.length != 2 || !RestrictedUnpickler.isHashable(kv[0])) {
                    throw new InputException(file + ": malformed OrderedDict items");
                }
                dict.put(kv[0], kv[1]);
            }
        } else if (args.length != 0) {
            throw new InputException(file + ": malformed OrderedDict arguments");
        }
        return dict;
    }

    private static TensorRef tensorRef(Path file, Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage) || !(args[2] instanceof Object[] size)
                || !(args[3] instanceof Object[] stride) || size.length != stride.length) {
            throw new InputException(file + ": malformed tensor record");
        }
        long offset = nonNegativeLong(args[1]);
        long[] sizes = nonNegativeLongs(size);
        long[] strides = nonNegativeLongs(stride);
        if (offset < 0 || sizes == null || strides == null) {
            throw new InputException(file + ": malformed tensor record: offset, sizes and strides must be"
                    + " non-negative integers of at most 64 bits");
        }
        return new TensorRef(storage, offset, sizes, strides);
    }

    /** The values as longs, or null if one is not a non-negative integer that fits a long. */
    private static long[] nonNegativeLongs(Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = nonNegativeLong(values[i]);
            if (out[i] < 0) {
                return null;
            }
        }
        return out;
    }

    /** The value if it is a non-negative integer that fits a long, else -1. */
    private static long nonNegativeLong(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return Math.max(((Number) value).longValue(), -1);
        }
        return value instanceof BigInteger big && big.signum() >= 0 && big.bitLength() < Long.SIZE ? big.longValue() : -1;
    }

    /** Resolves PyTorch's persistent id {@code ('storage', StorageType, key, location, numel[, view])}. */
    private static StorageRef storage(Path file, Object pid, int length, Map<String, StorageRef> storages) {
        if (!(pid instanceof Object[] t) || t.length != length || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key)) {
            throw new InputException(file + ": malformed storage reference");
        }
        long numel = nonNegativeLong(t[4]);
        if (numel < 0) {
            throw new InputException(file + ": storage " + WeightsFile.quote(key)
                    + ": its size must be a non-negative integer of at most 64 bits");
        }
        if (length == 6 && t[5] != null) {
            throw new InputException(file + ": storage views (PyTorch before 0.4) are not supported");
        }
        long bytes = numel > MAX_STORAGE_BYTES / type.dtype().size() ? Long.MAX_VALUE : numel * type.dtype().size();
        if (bytes > MAX_STORAGE_BYTES) {
            throw new InputException(file + ": storage " + WeightsFile.quote(key) + " of " + numel + " " + type.dtype()
                    + " elements is too large (storages over 2 GiB are not supported)");
        }
        StorageRef ref = new StorageRef(type.dtype(), key, numel, (int) bytes);
        StorageRef known = storages.putIfAbsent(key, ref);
        if (known != null && !known.equals(ref)) {
            throw new InputException(file + ": storage " + WeightsFile.quote(key) + " is referred to with two types or sizes");
        }
        return known == null ? ref : known;
    }

    private static LinkedHashMap<String, TensorData> tensors(Path file, Object root, long fileSize,
            Function<StorageRef, ByteBuffer> bytes) {
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        long copies = 0;
        for (Map.Entry<?, ?> e : stateDict(file, root).entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new InputException(file + ": the state dict has a key of type "
                        + RestrictedUnpickler.typeOf(e.getKey()) + ", not a name");
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new InputException(file + ": entry " + WeightsFile.quote(name)
                        + " is not a tensor (a state dict holds tensors only)");
            }
            long copy = copyBytes(file + ": tensor " + WeightsFile.quote(name), ref);
            if (copy > fileSize - copies) {
                throw new InputException(file + ": tensor " + WeightsFile.quote(name) + ": copying the strided tensors"
                        + " up to it takes more than the file's " + fileSize + " bytes (a state dict stores each value once)");
            }
            copies += copy;
            refs.put(name, ref);
        }
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        refs.forEach((name, ref) -> tensors.put(name, materialize(ref, bytes.apply(ref.storage()))));
        return tensors;
    }

    /** The state dict: the pickled dict itself, or the one a training checkpoint nests under a known key. */
    private static Map<?, ?> stateDict(Path file, Object root) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new InputException(file + ": holds a value of type " + RestrictedUnpickler.typeOf(root)
                    + ", not a state dict");
        }
        boolean hasTensors = dict.values().stream().anyMatch(v -> v instanceof TensorRef);
        if (!hasTensors) {
            for (String key : NESTED_STATE_DICT_KEYS) {
                if (dict.get(key) instanceof Map<?, ?> nested) {
                    return nested;
                }
            }
        }
        return dict;
    }

    /**
     * Checks, overflow-safe, that the tensor's offset, sizes and strides reach only elements of its storage, and
     * returns the bytes a copy of it takes: 0 when it is a contiguous slice, which is used without a copy.
     */
    private static long copyBytes(String where, TensorRef ref) {
        long bytes = TensorData.declaredByteSize(where, ref.storage().dtype(), ref.size());
        if (bytes == 0) {
            return 0;
        }
        long last = lastElement(ref);
        if (last >= ref.storage().numel()) {
            throw new InputException(where + ": offset " + ref.offset() + ", size " + TensorData.formatShape(ref.size())
                    + " and stride " + TensorData.formatShape(ref.stride()) + " reach element "
                    + (last == Long.MAX_VALUE ? "2^63 or more" : last) + " of a storage of " + ref.storage().numel());
        }
        if (isContiguous(ref.size(), ref.stride())) {
            return 0;
        }
        if (bytes > MAX_STORAGE_BYTES) {
            throw new InputException(where + ": a strided tensor of " + bytes + " bytes is too large to copy");
        }
        return bytes;
    }

    /** The storage index of the tensor's last element (all sizes at least 1), or Long.MAX_VALUE if it overflows. */
    private static long lastElement(TensorRef ref) {
        try {
            long last = ref.offset();
            for (int d = 0; d < ref.size().length; d++) {
                last = Math.addExact(last, Math.multiplyExact(ref.size()[d] - 1, ref.stride()[d]));
            }
            return last;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The tensor's data from its storage; {@link #copyBytes} has checked that its view fits. */
    private static TensorData materialize(TensorRef ref, ByteBuffer storage) {
        DType dtype = ref.storage().dtype();
        int elementSize = dtype.size();
        int numel = Math.toIntExact(TensorData.numel(ref.size()));
        if (numel == 0) {
            return new TensorData(dtype, ref.size(), ByteBuffer.allocate(0));
        }
        if (isContiguous(ref.size(), ref.stride())) {
            ByteBuffer slice = storage.duplicate();
            slice.position(Math.toIntExact(ref.offset() * elementSize));
            slice.limit(Math.toIntExact((ref.offset() + numel) * elementSize));
            return new TensorData(dtype, ref.size(), slice);
        }
        byte[] out = new byte[numel * elementSize];
        long[] index = new long[ref.size().length];
        for (int i = 0; i < numel; i++) {
            long element = ref.offset();
            for (int d = 0; d < index.length; d++) {
                element += index[d] * ref.stride()[d];
            }
            storage.get(Math.toIntExact(element * elementSize), out, i * elementSize, elementSize);
            for (int d = index.length - 1; d >= 0 && ++index[d] == ref.size()[d]; d--) {
                index[d] = 0;
            }
        }
        return new TensorData(dtype, ref.size(), ByteBuffer.wrap(out));
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }
}
