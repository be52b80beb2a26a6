package dev.imet.model;

import java.util.Locale;

/** Element types a weights file may hold, with their names in safetensors, numpy and PyTorch storages. */
public enum DType {
    F64(8, "f8", "DoubleStorage"),
    F32(4, "f4", "FloatStorage"),
    F16(2, "f2", "HalfStorage"),
    BF16(2, null, "BFloat16Storage"),
    I64(8, "i8", "LongStorage"),
    I32(4, "i4", "IntStorage"),
    I16(2, "i2", "ShortStorage"),
    I8(1, "i1", "CharStorage"),
    U8(1, "u1", "ByteStorage"),
    BOOL(1, "b1", "BoolStorage");

    private final int size;
    private final String numpyCode;
    private final String torchStorage;

    DType(int size, String numpyCode, String torchStorage) {
        this.size = size;
        this.numpyCode = numpyCode;
        this.torchStorage = torchStorage;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The safetensors name ("F32", ...), or null if unknown. */
    static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * A numpy dtype descriptor such as "<f4" or "|u1", or null if it is not a plain little-endian number type
     * ("<", "=" and, for one-byte types, "|" and ">" all qualify on the machines numpy writes these files on).
     */
    static DType fromNumpy(String descr) {
        if (descr.length() < 2) {
            return null;
        }
        char order = descr.charAt(0);
        String code = "<=|>".indexOf(order) >= 0 ? descr.substring(1) : descr;
        for (DType t : values()) {
            if (code.equals(t.numpyCode) && (order != '>' || t.size == 1)) {
                return t;
            }
        }
        return null;
    }

    /** The PyTorch storage class of this type ("FloatStorage"). */
    String torchStorage() {
        return torchStorage;
    }

    /** A PyTorch storage class name ("FloatStorage"), or null. */
    static DType fromTorchStorage(String name) {
        for (DType t : values()) {
            if (t.torchStorage.equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
