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
 */
public final class TorchCheckpoint {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;
    /** Keys under which training checkpoints nest the state dict. */
    private static final List<String> NESTED_STATE_DICT_KEYS = List.of("state_dict", "model_state_dict", "model");

    private TorchCheckpoint() {}

    /** A storage a tensor refers to: element type, key in the file, size in elements. */
    private record StorageRef(DType dtype, String key, long numel) {}

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
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (head.length == 2 && head[0] == 'P' && head[1] == 'K') {
            return readZip(file);
        }
        if (head.length == 2 && (head[0] & 0xff) == 0x80) {
            return readLegacy(file);
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

    private static LinkedHashMap<String, TensorData> readZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = dataPickle(zip);
            if (pickle == null) {
                throw new InputException(file + ": a zip archive without DIR/data.pkl is not a PyTorch file");
            }
            String dir = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(dir + "byteorder");
            if (byteOrder != null) {
                try (InputStream in = zip.getInputStream(byteOrder)) {
                    String order = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                    if (!order.equals("little")) {
                        throw new InputException(file + ": byte order '" + order + "' is not supported (little-endian only)");
                    }
                }
            }
            Map<String, StorageRef> storages = new HashMap<>();
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pickle))) {
                root = unpickle(file, in, pid -> storage(file, pid, 5, storages));
            }
            Map<String, ByteBuffer> loaded = new HashMap<>();
            return tensors(file, root, ref -> loaded.computeIfAbsent(ref.key(), key -> {
                ZipEntry entry = zip.getEntry(dir + "data/" + key);
                if (entry == null) {
                    throw new InputException(file + ": storage " + key + " is missing (no " + dir + "data/" + key + ")");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    return storageBytes(file, ref, in.readAllBytes());
                } catch (IOException e) {
                    throw new InputException(file + ": cannot read storage " + key + ": " + e.getMessage(), e);
                }
            }));
        } catch (IOException e) {
            throw new InputException(file + ": cannot read as a PyTorch zip file: " + e.getMessage(), e);
        }
    }

    private static LinkedHashMap<String, TensorData> readLegacy(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Object magic = unpickle(file, in, null);
            if (!(magic instanceof Number n) || !new BigInteger(n.toString()).equals(LEGACY_MAGIC)) {
                throw new InputException(file + ": a pickle, but not a PyTorch file (no PyTorch magic number)");
            }
            Object protocol = unpickle(file, in, null);
            if (!(protocol instanceof Number p) || p.intValue() != LEGACY_PROTOCOL) {
                throw new InputException(file + ": unsupported PyTorch legacy protocol " + protocol);
            }
            Object sysInfo = unpickle(file, in, null);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new InputException(file + ": written on a big-endian machine; not supported");
            }
            Map<String, StorageRef> storages = new HashMap<>();
            Object root = unpickle(file, in, pid -> storage(file, pid, 6, storages));
            Object keys = unpickle(file, in, null);
            if (!(keys instanceof List<?> keyList)) {
                throw new InputException(file + ": storage key list missing after the pickled object");
            }
            Map<String, ByteBuffer> loaded = new HashMap<>();
            for (Object key : keyList) {
                StorageRef ref = storages.get(String.valueOf(key));
                if (ref == null) {
                    throw new InputException(file + ": storage " + key + " is stored but no tensor refers to it");
                }
                byte[] countBytes = in.readNBytes(8);
                if (countBytes.length < 8) {
                    throw new InputException(file + ": truncated before storage " + key);
                }
                long count = ByteBuffer.wrap(countBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (count != ref.numel()) {
                    throw new InputException(file + ": storage " + key + " holds " + count
                            + " elements, its tensors expect " + ref.numel());
                }
                loaded.put(ref.key(), storageBytes(file, ref, in.readNBytes(checkedBytes(file, ref))));
            }
            return tensors(file, root, ref -> {
                ByteBuffer bytes = loaded.get(ref.key());
                if (bytes == null) {
                    throw new InputException(file + ": storage " + ref.key() + " is referred to but not stored");
                }
                return bytes;
            });
        } catch (IOException e) {
            throw new InputException(file + ": cannot read as a legacy PyTorch file: " + e.getMessage(), e);
        }
    }

    private static int checkedBytes(Path file, StorageRef ref) {
        long bytes = ref.numel() * ref.dtype().size();
        if (ref.numel() < 0 || bytes > Integer.MAX_VALUE - 16) {
            throw new InputException(file + ": storage " + ref.key() + " of " + ref.numel() + " elements is too large");
        }
        return (int) bytes;
    }

    private static ByteBuffer storageBytes(Path file, StorageRef ref, byte[] bytes) {
        if (bytes.length != (long) checkedBytes(file, ref)) {
            throw new InputException(file + ": storage " + ref.key() + " has " + bytes.length + " bytes, expected "
                    + ref.numel() + " x " + ref.dtype().size());
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Object unpickle(Path file, InputStream in, Function<Object, Object> persistentLoader) {
        RestrictedUnpickler unpickler = new RestrictedUnpickler(file.toString(), globals(file), persistentLoader);
        try {
            return unpickler.load(in);
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + ": malformed pickle: " + e.getMessage(), e);
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
                if (!(pair instanceof Object[] kv) || kv.length != 2) {
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
        if (args.length < 4 || !(args[0] instanceof StorageRef storage) || !(args[1] instanceof Number offset)
                || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride)
                || size.length != stride.length) {
            throw new InputException(file + ": malformed tensor record");
        }
        return new TensorRef(storage, offset.longValue(), longs(file, size), longs(file, stride));
    }

    private static long[] longs(Path file, Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] instanceof Number n) || n.longValue() < 0) {
                throw new InputException(file + ": malformed tensor shape or stride");
            }
            out[i] = n.longValue();
        }
        return out;
    }

    /** Resolves PyTorch's persistent id {@code ('storage', StorageType, key, location, numel[, view])}. */
    private static StorageRef storage(Path file, Object pid, int length, Map<String, StorageRef> storages) {
        if (!(pid instanceof Object[] t) || t.length != length || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || t[2] == null || !(t[4] instanceof Number numel)) {
            throw new InputException(file + ": malformed storage reference");
        }
        if (length == 6 && t[5] != null) {
            throw new InputException(file + ": storage views (PyTorch before 0.4) are not supported");
        }
        StorageRef ref = new StorageRef(type.dtype(), String.valueOf(t[2]), numel.longValue());
        StorageRef known = storages.putIfAbsent(ref.key(), ref);
        if (known != null && !known.equals(ref)) {
            throw new InputException(file + ": storage " + ref.key() + " is referred to with two types or sizes");
        }
        return known == null ? ref : known;
    }

    private static LinkedHashMap<String, TensorData> tensors(Path file, Object root, Function<StorageRef, ByteBuffer> bytes) {
        Map<?, ?> dict = stateDict(file, root);
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new InputException(file + ": entry '" + name + "' is not a tensor (a state dict holds tensors only)");
            }
            tensors.put(name, materialize(file + ": tensor '" + name + "'", ref, bytes.apply(ref.storage())));
        }
        return tensors;
    }

    /** The state dict: the pickled dict itself, or the one a training checkpoint nests under a known key. */
    private static Map<?, ?> stateDict(Path file, Object root) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new InputException(file + ": holds a " + (root == null ? "None" : root.getClass().getSimpleName())
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

    private static TensorData materialize(String where, TensorRef ref, ByteBuffer storage) {
        DType dtype = ref.storage().dtype();
        int elementSize = dtype.size();
        long numel = TensorData.numel(ref.size());
        if (numel == 0) {
            return new TensorData(dtype, ref.size(), ByteBuffer.allocate(0));
        }
        long last = ref.offset();
        for (int d = 0; d < ref.size().length; d++) {
            last += (ref.size()[d] - 1) * ref.stride()[d];
        }
        if (last >= ref.storage().numel()) {
            throw new InputException(where + ": reaches element " + last + " of a storage of " + ref.storage().numel());
        }
        if (isContiguous(ref.size(), ref.stride())) {
            ByteBuffer slice = storage.duplicate();
            slice.position(Math.toIntExact(ref.offset() * elementSize));
            slice.limit(Math.toIntExact((ref.offset() + numel) * elementSize));
            return new TensorData(dtype, ref.size(), slice);
        }
        byte[] out = new byte[Math.toIntExact(numel * elementSize)];
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
