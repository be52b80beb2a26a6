package dev.imet.common;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy's {@code .npy} array format, the part every reader and writer shares: a magic string, a version, a
 * header (a Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}) and the raw data in
 * C order. What the data means (which dtypes a caller accepts, how it converts them) is the caller's.
 */
public final class Npy {
    /** Little-endian float32 and float64, and the prefixes of fixed-width unicode (UCS-4) and byte strings. */
    public static final String FLOAT32 = "<f4";
    public static final String FLOAT64 = "<f8";
    public static final String UNICODE = "<U";
    public static final String BYTES = "|S";

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads the header so the data starts at a multiple of this. */
    private static final int ALIGN = 64;
    private static final int MAX_HEADER = 1 << 20;
    /** numpy's NPY_MAXDIMS (since numpy 2.0; 32 before). */
    private static final int MAX_DIMENSIONS = 64;
    /** How much of a header or other text from a file a message shows. */
    /** The most data bytes one array may have: a Java array holds them. */
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * The header of one C-ordered array: its dtype descriptor ({@code "<f4"}), its shape, and where its data
     * starts, in bytes from the start of the {@code .npy}.
     */
    public record Header(String descr, long[] shape, long dataOffset) {
        public Header {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The number of elements (1 for a scalar). */
        public long count() {
            long n = 1;
            for (long dim : shape) {
                n = Math.multiplyExact(n, dim);
            }
            return n;
        }
    }

    /**
     * Reads the magic, the version and the header, leaving the stream at the first data byte. InputException,
     * its message starting with {@code what}, for anything but a readable header of a C-ordered array.
     */
    public static Header readHeader(InputStream stream, String what) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InputException(what + " is not in .npy format (bad magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long length;
            int lengthBytes;
            if (major == 1) {
                length = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
                lengthBytes = 2;
            } else if (major == 2 || major == 3) {
                length = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                lengthBytes = 4;
            } else {
                throw new InputException(what + ": unsupported .npy version " + major);
            }
            if (length > MAX_HEADER) {
                throw new InputException(what + ": .npy header length " + length + " is over the limit of " + MAX_HEADER);
            }
            byte[] bytes = new byte[(int) length];
            in.readFully(bytes);
            String header = new String(bytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = find(DESCR, header, what, "descr");
            if (find(FORTRAN, header, what, "fortran_order").equals("True")) {
                throw new InputException(what + " is in Fortran order; only C order is supported (save a C-contiguous copy)");
            }
            Header parsed = new Header(descr, parseShape(find(SHAPE, header, what, "shape"), what),
                    MAGIC.length + 2 + lengthBytes + length);
            try {
                parsed.count();
            } catch (ArithmeticException e) {
                throw new InputException(what + " is too large: shape " + Arrays.toString(parsed.shape()));
            }
            return parsed;
        } catch (EOFException e) {
            throw new InputException(what + " is truncated", e);
        }
    }

    /** Writes the magic, version 1.0 and the header padded as numpy pads it, so the bytes are numpy's. */
    public static void writeHeader(OutputStream out, String descr, long[] shape) throws IOException {
        String shapeText;
        if (shape.length == 1) {
            shapeText = shape[0] + ",";
        } else {
            StringBuilder dims = new StringBuilder();
            for (int i = 0; i < shape.length; i++) {
                dims.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            shapeText = dims.toString();
        }
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

    /**
     * The data of {@code count} items of {@code itemSize} bytes from a stream that holds at most {@code available}
     * bytes (what the array's zip entry declares after its header), checked against that before anything is
     * allocated. InputException naming what is truncated or too large.
     */
    public static byte[] readData(InputStream in, long count, int itemSize, long available, String what) throws IOException {
        long length;
        try {
            length = Math.multiplyExact(count, itemSize);
        } catch (ArithmeticException e) {
            length = Long.MAX_VALUE;
        }
        if (length > MAX_DATA_BYTES) {
            throw new InputException(what + ": array of " + count + " items of " + itemSize + " bytes is too large");
        }
        if (length > available) {
            throw new InputException(what + " is truncated: its header declares " + length + " data bytes, its entry holds "
                    + Math.max(available, 0));
        }
        // readNBytes reads in chunks: what it allocates follows the bytes that are there, not the declared length
        byte[] data = in.readNBytes((int) length);
        if (data.length != length) {
            throw new InputException(what + " is truncated: " + data.length + " of " + length + " data bytes");
        }
        return data;
    }

    private static String find(Pattern pattern, String header, String what, String key) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new InputException(what + ": .npy header without a readable '" + key + "': " + Printable.of(header.strip()));
        }
        return matcher.group(1);
    }

    private static long[] parseShape(String text, String what) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String dim = part.strip().replaceAll("L$", ""); // Python 2 wrote long integers as 12L
            if (dim.isEmpty()) {
                continue;
            }
            long value;
            try {
                value = Long.parseLong(dim);
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0) {
                throw new InputException(what + ": bad shape (" + Printable.of(text) + ")");
            }
            dims.add(value);
        }
        if (dims.size() > MAX_DIMENSIONS) {
            throw new InputException(what + ": bad shape: " + dims.size() + " dimensions, numpy allows at most " + MAX_DIMENSIONS);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
