package dev.imet.model;

import dev.imet.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads an {@code .npz} archive as {@code numpy.savez} / {@code savez_compressed} write it: a zip of
 * {@code NAME.npy} files, each a magic string, a version, a header (a Python dict literal with descr,
 * fortran_order and shape) and the raw data.
 */
public final class NumpyArchive {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NumpyArchive() {}

    /** The arrays in archive order, named without the {@code .npy} suffix. */
    public static LinkedHashMap<String, TensorData> read(Path file) {
        LinkedHashMap<String, TensorData> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    throw new InputException(file + ": entry '" + name + "' is not a .npy array");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    arrays.put(name.substring(0, name.length() - 4), readNpy(in, file + ": array '" + name + "'"));
                }
            }
        } catch (IOException e) {
            throw new InputException(file + ": cannot read as .npz: " + e.getMessage(), e);
        }
        return arrays;
    }

    static TensorData readNpy(InputStream in, String where) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new InputException(where + ": not a .npy array (bad magic)");
        }
        int major = magic[6];
        if (major < 1 || major > 3) {
            throw new InputException(where + ": unsupported .npy version " + major);
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] b = Arrays.copyOf(in.readNBytes(lengthBytes), 4);
        int headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (headerLength < 0) {
            throw new InputException(where + ": bad .npy header length");
        }
        String header = new String(in.readNBytes(headerLength),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new InputException(where + ": unreadable .npy header " + header.trim());
        }
        DType dtype = DType.fromNumpy(descr.group(1));
        if (dtype == null) {
            throw new InputException(where + ": unsupported dtype '" + descr.group(1)
                    + "' (little-endian float and integer arrays only; no object arrays)");
        }
        if (fortran.group(1).equals("True")) {
            throw new InputException(where + ": Fortran-ordered arrays are not supported (save a C-contiguous copy)");
        }
        long[] shape = parseShape(shapeMatch.group(1), where);
        long bytes = TensorData.numel(shape) * dtype.size();
        if (bytes > Integer.MAX_VALUE) {
            throw new InputException(where + ": array of " + bytes + " bytes is too large");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length != bytes) {
            throw new InputException(where + ": truncated: " + data.length + " of " + bytes + " data bytes");
        }
        return new TensorData(dtype, shape, ByteBuffer.wrap(data));
    }

    private static long[] parseShape(String dims, String where) {
        String[] parts = dims.split(",");
        int count = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                count++;
            }
        }
        long[] shape = new long[count];
        int i = 0;
        for (String p : parts) {
            if (p.isBlank()) {
                continue;
            }
            try {
                shape[i++] = Long.parseLong(p.trim().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new InputException(where + ": bad shape (" + dims + ")");
            }
        }
        return shape;
    }
}
