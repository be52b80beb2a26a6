package dev.imet.model;

import dev.imet.common.InputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a weights file: element type, shape and the row-major little-endian bytes. Independent of DJL,
 * so files can be read, listed and checked without an engine.
 */
public record TensorData(DType dtype, long[] shape, ByteBuffer data) {
    /** The dimensions {@link #formatShape} lists. */
    private static final int SHOWN_DIMENSIONS = 16;

    public TensorData {
        shape = shape.clone();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
        }
        long expected = byteSize(dtype, shape);
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " " + dtype
                    + " needs " + expected + " bytes, has " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static TensorData ofFloats(long[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new TensorData(DType.F32, shape, bytes);
    }

    /** A scalar int64 (what PyTorch's {@code num_batches_tracked} is). */
    public static TensorData scalarLong(long value) {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        return new TensorData(DType.I64, new long[0], bytes);
    }

    /** The number of elements (1 for a scalar); ArithmeticException if it overflows a long. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The bytes of a tensor's data; ArithmeticException if they overflow a long. */
    public static long byteSize(DType dtype, long[] shape) {
        return Math.multiplyExact(numel(shape), dtype.size());
    }

    /**
     * {@link #byteSize} of a shape a file declares: InputException, {@code where} first, for a shape whose size
     * does not fit a long (more than 8 EiB, so no file holds it).
     */
    static long declaredByteSize(String where, DType dtype, long[] shape) {
        try {
            return byteSize(dtype, shape);
        } catch (ArithmeticException e) {
            throw new InputException(where + ": shape " + formatShape(shape) + " of " + dtype
                    + " is too large (its size overflows 64 bits)");
        }
    }

    public long numel() {
        return numel(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values as float32 (wider types rounded, half precision widened exactly). */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = data();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(i * 2)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
            default -> throw new IllegalStateException("unhandled dtype " + dtype);
        }
        return out;
    }

    /** IEEE 754 binary16 to float32, exact (subnormals, infinities and NaN included). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * "[64, 3, 7, 7]" as PyTorch prints a shape; past 16 dimensions (only a broken or hostile file has so many)
     * the rest are counted, not listed, so that a message stays short.
     */
    public static String formatShape(long[] shape) {
        if (shape.length <= SHOWN_DIMENSIONS) {
            return Arrays.toString(shape);
        }
        String shown = Arrays.toString(Arrays.copyOf(shape, SHOWN_DIMENSIONS));
        return shown.substring(0, shown.length() - 1) + ", ... (" + shape.length + " dimensions)]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && dtype == t.dtype && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype + formatShape(shape);
    }
}
