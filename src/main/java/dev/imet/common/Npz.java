package dev.imet.common;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy's .npz files: a zip of .npy arrays, as {@code numpy.savez} writes them (stored entries, npy format
 * 1.0, header padded to 64 bytes). Two kinds of array are supported, which is what prediction files hold:
 * 1-D string arrays ({@code <U}, or {@code |S} when reading) and float arrays ({@code <f4}, or {@code <f8}
 * converted when reading), in C order.
 */
public final class Npz {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int BUFFER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {}

    /** An array of an .npz file. */
    public sealed interface Array permits Strings, Floats {}

    /** A 1-D array of strings. */
    public record Strings(List<String> values) implements Array {
        public Strings {
            values = List.copyOf(values);
        }
    }

    /** A float32 array of the given shape, values in C (row-major) order. */
    public record Floats(int[] shape, float[] values) implements Array {
        public Floats {
            long size = 1;
            for (int dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
                }
                size *= dim;
            }
            if (size != values.length) {
                throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
            }
        }
    }

    /** Writes the arrays atomically, each as entry {@code name.npy}, in the map's order. */
    public static void write(Path file, Map<String, ? extends Array> arrays) {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, ? extends Array> entry : arrays.entrySet()) {
                Array array = entry.getValue();
                // Stored entries need their size and CRC up front: write the bytes once to measure them.
                CheckingStream check = new CheckingStream();
                writeNpy(check, array);
                ZipEntry zipEntry = new ZipEntry(entry.getKey() + ".npy");
                zipEntry.setMethod(ZipEntry.STORED);
                zipEntry.setSize(check.size);
                zipEntry.setCompressedSize(check.size);
                zipEntry.setCrc(check.crc.getValue());
                zip.putNextEntry(zipEntry);
                writeNpy(zip, array);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /**
     * Reads the named arrays. InputException naming the file for a missing file, a file that is not a zip,
     * a missing array, or an array of another kind (dtype, byte order, Fortran order, truncated data).
     */
    public static Map<String, Array> read(Path file, String... names) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": file not found");
        }
        Map<String, Array> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (String name : names) {
                ZipEntry entry = zip.getEntry(name + ".npy");
                if (entry == null) {
                    List<String> present = new ArrayList<>();
                    zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".npy"))
                            .forEach(n -> present.add(n.substring(0, n.length() - 4)));
                    throw new InputException(file + ": no array '" + name + "' (arrays: "
                            + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    arrays.put(name, readNpy(new DataInputStream(new BufferedInputStream(in, BUFFER)),
                            file + ": array '" + name + "'"));
                }
            }
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (ZipException e) {
            throw new InputException(file + ": not an .npz (zip) file or damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return arrays;
    }

    private static void writeNpy(OutputStream out, Array array) throws IOException {
        if (array instanceof Strings strings) {
            int width = 1;
            for (String value : strings.values()) {
                width = Math.max(width, value.codePointCount(0, value.length()));
            }
            writeHeader(out, "<U" + width, new int[] {strings.values().size()});
            ByteBuffer item = ByteBuffer.allocate(width * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (String value : strings.values()) {
                item.clear();
                value.codePoints().forEach(item::putInt);
                while (item.hasRemaining()) {
                    item.putInt(0);
                }
                out.write(item.array());
            }
        } else if (array instanceof Floats floats) {
            writeHeader(out, "<f4", floats.shape());
            ByteBuffer bytes = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = floats.values();
            for (int at = 0; at < values.length; at += BUFFER / 4) {
                int n = Math.min(BUFFER / 4, values.length - at);
                bytes.clear();
                bytes.asFloatBuffer().put(values, at, n);
                out.write(bytes.array(), 0, n * 4);
            }
        }
    }

    private static void writeHeader(OutputStream out, String descr, int[] shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int dim : shape) {
            dims.append(dim).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, Math.max(0, dims.length() - 2));
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + shapeText + "), }");
        int prefix = MAGIC.length + 2 + 2;
        while ((prefix + header.length() + 1) % ALIGN != 0) {
            header.append(' ');
        }
        header.append('\n');
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static Array readNpy(DataInputStream in, String what) throws IOException {
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InputException(what + " is not in .npy format");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long headerLength;
            if (major == 1) {
                headerLength = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
            } else if (major == 2 || major == 3) {
                headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new InputException(what + ": unsupported .npy version " + major);
            }
            if (headerLength > 1 << 20) {
                throw new InputException(what + ": .npy header too long");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            in.readFully(headerBytes);
            String header = new String(headerBytes, StandardCharsets.UTF_8);
            String descr = find(DESCR, header, what, "descr");
            if (find(FORTRAN, header, what, "fortran_order").equals("True")) {
                throw new InputException(what + " is in Fortran order; only C order is supported");
            }
            int[] shape = parseShape(find(SHAPE, header, what, "shape"), what);
            long count = 1;
            for (int dim : shape) {
                count *= dim;
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new InputException(what + " is too large: shape " + Arrays.toString(shape));
            }
            if (descr.equals("<f4") || descr.equals("<f8")) {
                return new Floats(shape, readFloats(in, (int) count, descr.equals("<f8")));
            }
            if (descr.startsWith("<U") || descr.startsWith("|S")) {
                if (shape.length != 1) {
                    throw new InputException(what + ": a string array must be 1-D, not of shape " + Arrays.toString(shape));
                }
                int width = parseWidth(descr, what);
                return new Strings(descr.startsWith("<U") ? readUnicode(in, shape[0], width, what) : readBytes(in, shape[0], width));
            }
            throw new InputException(what + " has dtype '" + descr + "'; expected <f4, <f8, <U or |S");
        } catch (EOFException e) {
            throw new InputException(what + " is truncated", e);
        }
    }

    private static String find(Pattern pattern, String header, String what, String key) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new InputException(what + ": .npy header without a readable '" + key + "': " + header.trim());
        }
        return matcher.group(1);
    }

    private static int[] parseShape(String text, String what) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String dim = part.trim().replaceAll("L$", "");
            if (!dim.isEmpty()) {
                try {
                    dims.add(Integer.parseInt(dim));
                } catch (NumberFormatException e) {
                    throw new InputException(what + ": bad shape (" + text + ")");
                }
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int parseWidth(String descr, String what) {
        try {
            int width = Integer.parseInt(descr.substring(2));
            if (width < 0 || width > 1 << 20) {
                throw new NumberFormatException();
            }
            return width;
        } catch (NumberFormatException e) {
            throw new InputException(what + ": bad string dtype '" + descr + "'");
        }
    }

    private static float[] readFloats(DataInputStream in, int count, boolean doubles) throws IOException {
        float[] values = new float[count];
        int itemSize = doubles ? 8 : 4;
        byte[] buffer = new byte[BUFFER];
        ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < count; ) {
            int n = Math.min(BUFFER / itemSize, count - at);
            in.readFully(buffer, 0, n * itemSize);
            view.clear();
            if (doubles) {
                for (int i = 0; i < n; i++) {
                    values[at + i] = (float) view.getDouble(i * 8);
                }
            } else {
                view.asFloatBuffer().get(values, at, n);
            }
            at += n;
        }
        return values;
    }

    private static List<String> readUnicode(DataInputStream in, int count, int width, String what) throws IOException {
        List<String> values = new ArrayList<>(count);
        byte[] item = new byte[width * 4];
        ByteBuffer view = ByteBuffer.wrap(item).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            in.readFully(item);
            int length = width;
            while (length > 0 && view.getInt((length - 1) * 4) == 0) {
                length--;
            }
            StringBuilder value = new StringBuilder(length);
            for (int c = 0; c < length; c++) {
                int codePoint = view.getInt(c * 4);
                if (!Character.isValidCodePoint(codePoint)) {
                    throw new InputException(what + ": string " + i + " holds an invalid character");
                }
                value.appendCodePoint(codePoint);
            }
            values.add(value.toString());
        }
        return values;
    }

    private static List<String> readBytes(DataInputStream in, int count, int width) throws IOException {
        List<String> values = new ArrayList<>(count);
        byte[] item = new byte[width];
        for (int i = 0; i < count; i++) {
            in.readFully(item);
            int length = width;
            while (length > 0 && item[length - 1] == 0) {
                length--;
            }
            values.add(new String(item, 0, length, StandardCharsets.UTF_8));
        }
        return values;
    }

    /** Counts and checksums the bytes written to it, keeping none. */
    private static final class CheckingStream extends OutputStream {
        final CRC32 crc = new CRC32();
        long size;

        @Override
        public void write(int b) {
            crc.update(b);
            size++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            crc.update(bytes, offset, length);
            size += length;
        }
    }
}
