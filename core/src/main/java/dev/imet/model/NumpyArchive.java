package dev.imet.model;

import dev.imet.common.InputException;
import dev.imet.common.Npy;
import dev.imet.common.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * The tensors of an {@code .npz} weights file ({@code numpy.savez} / {@code savez_compressed}): {@link Npz} reads
 * the archive and each array's {@link Npy} header; this maps the dtype to a {@link DType} and keeps the raw bytes,
 * so every number type a state dict holds is read as it is. An array's size is checked against its zip entry's
 * before its data is read.
 */
public final class NumpyArchive {
    private NumpyArchive() {}

    /** The arrays in archive order, named without the {@code .npy} suffix. */
    public static LinkedHashMap<String, TensorData> read(Path file) {
        return Npz.readEach(file, NumpyArchive::tensor);
    }

    private static TensorData tensor(Npy.Header header, InputStream data, long available, String what) throws IOException {
        DType dtype = DType.fromNumpy(header.descr());
        if (dtype == null) {
            throw new InputException(what + ": unsupported dtype " + WeightsFile.quote(header.descr())
                    + " (little-endian float and integer arrays only; no object arrays)");
        }
        byte[] bytes = Npy.readData(data, header.count(), dtype.size(), available, what);
        return new TensorData(dtype, header.shape(), ByteBuffer.wrap(bytes));
    }
}
