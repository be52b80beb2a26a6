package dev.imet.common;

import java.io.BufferedInputStream;
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
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy's .npz files: a zip of {@link Npy .npy} arrays, as {@code numpy.savez} writes them (stored entries, npy
 * format 1.0, header padded to 64 bytes) and {@code savez_compressed} too when reading. Two kinds of array are
 * read and written as values, which is what prediction files hold: 1-D string arrays ({@code <U}, or {@code |S}
 * when reading) and float arrays ({@code <f4}, or {@code <f8} converted when reading), in C order. Other readers
 * (weights files) take every entry's header and data through {@link #readEach}.
 *
 * <p>The file is hostile: an array's size is checked, overflow-safe, against what its zip entry holds before
 * anything is allocated, and every failure is an InputException of one line naming the file and the array.
 */
public final class Npz {
    private static final int BUFFER = 1 << 16;
    private static final String SUFFIX = ".npy";

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

    /**
     * Reads the data of one entry, the stream positioned after its header; {@code available} is how many bytes
     * the entry declares after the header (a reader refuses a larger array before allocating it, see
     * {@link Npy#readData}); {@code what} names the array.
     */
    @FunctionalInterface
    public interface EntryReader<T> {
        T read(Npy.Header header, InputStream data, long available, String what) throws IOException;
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
                ZipEntry zipEntry = new ZipEntry(entry.getKey() + SUFFIX);
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
        return withZip(file, zip -> {
            Map<String, Array> arrays = new LinkedHashMap<>();
            for (String name : names) {
                ZipEntry entry = zip.getEntry(name + SUFFIX);
                if (entry == null) {
                    List<String> present = new ArrayList<>();
                    zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(SUFFIX))
                            .forEach(n -> present.add(n.substring(0, n.length() - SUFFIX.length())));
                    throw new InputException(file + ": no array '" + name + "' (arrays: "
                            + (present.isEmpty() ? "none" : Printable.of(String.join(", ", present))) + ")");
                }
                arrays.put(name, readEntry(zip, entry, file + ": array '" + name + "'", Npz::readValues));
            }
            return arrays;
        });
    }

    /**
     * Every array of the file in archive order, named without {@code .npy}, each read by {@code reader}.
     * InputException naming the file as {@link #read} does, and for an entry that is not a {@code .npy} array.
     */
    public static <T> LinkedHashMap<String, T> readEach(Path file, EntryReader<T> reader) {
        return withZip(file, zip -> {
            LinkedHashMap<String, T> arrays = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                if (!name.endsWith(SUFFIX)) {
                    throw new InputException(file + ": entry '" + Printable.of(name) + "' is not a .npy array");
                }
                String arrayName = name.substring(0, name.length() - SUFFIX.length());
                arrays.put(arrayName, readEntry(zip, entry, file + ": array '" + Printable.of(arrayName) + "'", reader));
            }
            return arrays;
        });
    }

    private interface ZipReader<T> {
        T read(ZipFile zip) throws IOException;
    }

    /** Opens the file as a zip for the reader; every way the file can fail is an InputException naming it. */
    private static <T> T withZip(Path file, ZipReader<T> reader) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not an .npz file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": file not found");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return reader.read(zip);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (ZipException | EOFException e) {
            throw new InputException(file + ": not an .npz (zip) file or damaged: " + problem(e), e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + problem(e), e);
        }
    }

    /** An I/O error for a one-line message: its message, printable, or what it is when it has none. */
    private static String problem(IOException e) {
        if (e.getMessage() == null) {
            return e instanceof EOFException ? "the file ends early" : e.getClass().getSimpleName();
        }
        return Printable.of(e.getMessage().lines().findFirst().orElse(""));
    }

    private static <T> T readEntry(ZipFile zip, ZipEntry entry, String what, EntryReader<T> reader) throws IOException {
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), BUFFER)) {
            Npy.Header header = Npy.readHeader(in, what);
            long available = entry.getSize() < 0 ? Long.MAX_VALUE : entry.getSize() - header.dataOffset();
            return reader.read(header, in, available, what);
        } catch (EOFException e) {
            throw new InputException(what + " is truncated", e);
        }
    }

    /** The values of a float or string array, its size checked against the entry's before anything is allocated. */
    private static Array readValues(Npy.Header header, InputStream in, long available, String what) throws IOException {
        String descr = header.descr();
        long[] shape = header.shape();
        if (descr.equals(Npy.FLOAT32) || descr.equals(Npy.FLOAT64)) {
            boolean doubles = descr.equals(Npy.FLOAT64);
            byte[] data = Npy.readData(in, header.count(), doubles ? 8 : 4, available, what);
            int[] intShape = new int[shape.length];
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] > Integer.MAX_VALUE) { // possible next to a 0: the data has 0 bytes
                    throw new InputException(what + " is too large: shape " + Arrays.toString(shape));
                }
                intShape[i] = (int) shape[i];
            }
            return new Floats(intShape, floats(data, doubles));
        }
        if (descr.startsWith(Npy.UNICODE) || descr.startsWith(Npy.BYTES)) {
            if (shape.length != 1) {
                throw new InputException(what + ": a string array must be 1-D, not of shape " + Arrays.toString(shape));
            }
            int width = parseWidth(descr, what);
            boolean unicode = descr.startsWith(Npy.UNICODE);
            byte[] data = Npy.readData(in, header.count(), unicode ? width * 4 : width, available, what);
            return new Strings(unicode ? unicodeStrings(data, width, what) : byteStrings(data, width));
        }
        throw new InputException(what + " has dtype '" + Printable.of(descr) + "'; expected " + Npy.FLOAT32 + ", "
                + Npy.FLOAT64 + ", " + Npy.UNICODE + " or " + Npy.BYTES);
    }

    private static void writeNpy(OutputStream out, Array array) throws IOException {
        if (array instanceof Strings strings) {
            int width = 1;
            for (String value : strings.values()) {
                width = Math.max(width, value.codePointCount(0, value.length()));
            }
            Npy.writeHeader(out, Npy.UNICODE + width, new long[] {strings.values().size()});
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
            Npy.writeHeader(out, Npy.FLOAT32, Arrays.stream(floats.shape()).asLongStream().toArray());
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

    /** The item width of a string dtype, in characters: at least 1 (numpy's narrowest), at most 2^20. */
    private static int parseWidth(String descr, String what) {
        try {
            int width = Integer.parseInt(descr.substring(2));
            if (width < 1 || width > 1 << 20) {
                throw new NumberFormatException();
            }
            return width;
        } catch (NumberFormatException e) {
            throw new InputException(what + ": bad string dtype '" + Printable.of(descr) + "'");
        }
    }

    private static float[] floats(byte[] data, boolean doubles) {
        ByteBuffer view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[data.length / (doubles ? 8 : 4)];
        if (doubles) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) view.getDouble(i * 8);
            }
        } else {
            view.asFloatBuffer().get(values);
        }
        return values;
    }

    private static List<String> unicodeStrings(byte[] data, int width, String what) {
        ByteBuffer view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int count = data.length / (width * 4);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = i * width * 4;
            int length = width;
            while (length > 0 && view.getInt(start + (length - 1) * 4) == 0) {
                length--;
            }
            StringBuilder value = new StringBuilder(length);
            for (int c = 0; c < length; c++) {
                int codePoint = view.getInt(start + c * 4);
                if (!Character.isValidCodePoint(codePoint)) {
                    throw new InputException(what + ": string " + i + " holds an invalid character");
                }
                value.appendCodePoint(codePoint);
            }
            values.add(value.toString());
        }
        return values;
    }

    private static List<String> byteStrings(byte[] data, int width) {
        int count = data.length / width;
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = width;
            while (length > 0 && data[i * width + length - 1] == 0) {
                length--;
            }
            values.add(new String(data, i * width, length, StandardCharsets.UTF_8));
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
