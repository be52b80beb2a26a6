package dev.imet.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * An image file as a stream of bytes of known size, read once through one buffer, for {@link PngStructure} and
 * {@link JpegStructure}: big-endian numbers, skips with or without a CRC, and JPEG's markers.
 */
final class StructureInput {
    private static final int BUFFER_BYTES = 1 << 16;

    private final InputStream in;
    final long size;
    private final byte[] buffer;
    private long bufferStart;
    private int pos;
    private int limit;
    /** Where the 0xFF of the last marker read lies. */
    long markerAt;

    StructureInput(InputStream in, long size) {
        this.in = in;
        this.size = size;
        this.buffer = new byte[(int) Math.max(16, Math.min(size, BUFFER_BYTES))];
    }

    long position() {
        return bufferStart + pos;
    }

    long remaining() {
        return size - position();
    }

    /** Whether the file starts with {@code prefix}; only valid before anything is consumed. */
    boolean startsWith(byte[] prefix) throws IOException {
        while (limit < prefix.length && limit < size) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                break;
            }
            limit += read;
        }
        if (limit < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (buffer[k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** Makes at least one byte available; the callers have checked {@link #remaining()} first. */
    private void fill() throws IOException {
        if (pos < limit) {
            return;
        }
        bufferStart += limit;
        pos = 0;
        limit = 0;
        int read = in.read(buffer);
        if (read <= 0) {
            throw new EOFException("the file ends at byte " + bufferStart + ", before its size of " + size
                    + " bytes (did it change while it was read?)");
        }
        limit = read;
    }

    int u8() throws IOException {
        fill();
        return buffer[pos++] & 0xFF;
    }

    int u16() throws IOException {
        return u8() << 8 | u8();
    }

    long u32() throws IOException {
        return (long) u16() << 16 | u16();
    }

    byte[] bytes(int count) throws IOException {
        byte[] bytes = new byte[count];
        for (int done = 0; done < count; ) {
            fill();
            int n = Math.min(count - done, limit - pos);
            System.arraycopy(buffer, pos, bytes, done, n);
            pos += n;
            done += n;
        }
        return bytes;
    }

    void skip(long count) throws IOException {
        crc(null, count);
    }

    /** Passes over {@code count} bytes, adding them to {@code crc} unless it is null. */
    void crc(CRC32 crc, long count) throws IOException {
        while (count > 0) {
            fill();
            int n = (int) Math.min(count, limit - pos);
            if (crc != null) {
                crc.update(buffer, pos, n);
            }
            pos += n;
            count -= n;
        }
    }

    /**
     * The marker at the current position: 0xFF, any fill bytes 0xFF, then the marker byte, whose 0xFF is then at
     * {@link #markerAt}. A JPEG file that ends before it is truncated; any other byte there is corruption.
     */
    int marker() throws IOException, BrokenFile {
        markerAt = position();
        if (remaining() < 2) {
            throw JpegStructure.truncated(this);
        }
        int first = u8();
        if (first != 0xFF) {
            throw new BrokenFile("corrupt JPEG: expected a marker at byte " + markerAt + ", found "
                    + String.format("0x%02X", first));
        }
        int marker = fillBytesThenMarker();
        if (marker < 0) {
            throw JpegStructure.truncated(this);
        }
        if (marker == 0) {
            throw new BrokenFile("corrupt JPEG: expected a marker at byte " + markerAt + ", found 0xFF00");
        }
        return marker;
    }

    /**
     * Passes over a scan's entropy-coded data to the marker that ends it: 0xFF followed by neither a stuffed
     * zero nor a restart marker RST0-7. A JPEG file that ends first is truncated.
     */
    int markerAfterEntropyCodedData() throws IOException, BrokenFile {
        long start = position();
        while (remaining() > 0) {
            fill();
            int end = (int) Math.min(limit, pos + remaining());
            int k = pos;
            while (k < end && buffer[k] != (byte) 0xFF) {
                k++;
            }
            pos = k;
            if (k == end) {
                continue;
            }
            markerAt = position();
            pos++;
            int next = fillBytesThenMarker();
            if (next > 0 && (next < JpegStructure.RST0 || next > JpegStructure.RST7)) {
                return next;
            }
        }
        throw new BrokenFile("truncated JPEG: the image data from byte " + start
                + " has no end-of-image marker (EOI) before the end of the file at byte " + size);
    }

    /** After an 0xFF: the next byte that is not 0xFF, or -1 when the file ends first. */
    private int fillBytesThenMarker() throws IOException {
        while (remaining() > 0) {
            int next = u8();
            if (next != 0xFF) {
                return next;
            }
        }
        return -1;
    }

    /** A file that is not a complete, well-formed image; the message says why. Used for control flow only. */
    static final class BrokenFile extends Exception {
        BrokenFile(String reason) {
            super(reason, null, false, false);
        }
    }
}
