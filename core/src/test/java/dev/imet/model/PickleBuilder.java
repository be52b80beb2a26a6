package dev.imet.model;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes (protocol 2, as torch.save uses), for hand-made PyTorch files in tests. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder proto() {
        return op(0x80).op(2);
    }

    PickleBuilder global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder tuple() {
        return op('t');
    }

    PickleBuilder emptyTuple() {
        return op(')');
    }

    PickleBuilder emptyDict() {
        return op('}');
    }

    PickleBuilder emptyList() {
        return op(']');
    }

    PickleBuilder setItems() {
        return op('u');
    }

    PickleBuilder appends() {
        return op('e');
    }

    PickleBuilder append() {
        return op('a');
    }

    PickleBuilder reduce() {
        return op('R');
    }

    PickleBuilder persistentId() {
        return op('Q');
    }

    PickleBuilder memoPut(int index) {
        return op('q').op(index);
    }

    PickleBuilder memoGet(int index) {
        return op('h').op(index);
    }

    PickleBuilder none() {
        return op('N');
    }

    PickleBuilder bool(boolean value) {
        return op(value ? 0x88 : 0x89);
    }

    PickleBuilder stop() {
        return op('.');
    }

    /** BINUNICODE: a 4-byte length, then UTF-8. */
    PickleBuilder string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return op('X').int32(utf8.length).bytes(utf8);
    }

    /** BININT for what fits 32 bits, else LONG1 (a length byte, then two's complement, little-endian). */
    PickleBuilder integer(long value) {
        if (value == (int) value) {
            return op('J').int32((int) value);
        }
        return bigInteger(BigInteger.valueOf(value));
    }

    PickleBuilder bigInteger(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        op(0x8a).op(bigEndian.length);
        for (int i = bigEndian.length - 1; i >= 0; i--) {
            out.write(bigEndian[i]);
        }
        return this;
    }

    /** A tuple of integers, as torch pickles a size or a stride. */
    PickleBuilder longs(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    PickleBuilder int32(int value) {
        return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    PickleBuilder bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }
}
