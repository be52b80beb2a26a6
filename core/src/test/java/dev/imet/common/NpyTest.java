package dev.imet.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyTest {
    @Test
    void headersReadBackWithTheirDescriptorAndShapeAndPaddingTo64Bytes() throws IOException {
        for (long[] shape : new long[][] {{}, {4}, {2, 3}, {0, 1103}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.writeHeader(out, Npy.FLOAT32, shape);
            byte[] bytes = out.toByteArray();
            assertThat(bytes.length % 64).isZero();
            assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
            Npy.Header header = Npy.readHeader(new ByteArrayInputStream(bytes), "x");
            assertThat(header.descr()).isEqualTo("<f4");
            assertThat(header.shape()).containsExactly(shape);
        }
    }

    @Test
    void writesTheHeaderNumpyWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeHeader(out, "<U4", new long[] {3});
        String text = new String(out.toByteArray(), 10, out.size() - 10, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("{'descr': '<U4', 'fortran_order': False, 'shape': (3,), }").endsWith(" \n");
        out.reset();
        Npy.writeHeader(out, "<f4", new long[] {2, 3});
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).contains("'shape': (2, 3), }");
    }

    @Test
    void readsVersionTwoHeadersAndPythonTwoShapes() throws IOException {
        Npy.Header header = Npy.readHeader(npy(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2L, 5L), }"), "x");
        assertThat(header.descr()).isEqualTo("<i8");
        assertThat(header.shape()).containsExactly(2, 5);
        assertThat(header.count()).isEqualTo(10);
    }

    @Test
    void badHeadersAreErrorsNamingTheArray() {
        assertThatThrownBy(() -> Npy.readHeader(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }"), "f: array 'w'"))
                .isInstanceOf(InputException.class).hasMessageStartingWith("f: array 'w' is in Fortran order");
        assertThatThrownBy(() -> Npy.readHeader(npy(4, "{}"), "w")).hasMessage("w: unsupported .npy version 4");
        assertThatThrownBy(() -> Npy.readHeader(npy(1, "{'descr': '<f4', 'shape': (1,), }"), "w"))
                .hasMessageContaining("without a readable 'fortran_order'");
        assertThatThrownBy(() -> Npy.readHeader(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), "w"))
                .hasMessageContaining("bad shape");
        assertThatThrownBy(() -> Npy.readHeader(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': ("
                + "1, ".repeat(65) + "), }"), "w")).hasMessage("w: bad shape: 65 dimensions, numpy allows at most 64");
        assertThatThrownBy(() -> Npy.readHeader(new ByteArrayInputStream("PK\3\4 not npy".getBytes(StandardCharsets.US_ASCII)), "w"))
                .hasMessage("w is not in .npy format (bad magic)");
        assertThatThrownBy(() -> Npy.readHeader(new ByteArrayInputStream(new byte[] {(byte) 0x93, 'N', 'U'}), "w"))
                .hasMessage("w is truncated");
    }

    @Test
    void dataIsReadExactlyOrIsTruncated() throws IOException {
        assertThat(Npy.readData(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), 2, 2, 5, "w")).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> Npy.readData(new ByteArrayInputStream(new byte[6]), 2, 4, 8, "w"))
                .isInstanceOf(InputException.class).hasMessage("w is truncated: 6 of 8 data bytes");
        assertThatThrownBy(() -> Npy.readData(new ByteArrayInputStream(new byte[0]), 1L << 40, 4, Long.MAX_VALUE, "w"))
                .hasMessageContaining("too large");
    }

    @Test
    void theHeaderSaysWhereTheDataStarts() throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        int text = header.length() + 1;
        assertThat(Npy.readHeader(npy(1, header), "x").dataOffset()).isEqualTo(6 + 2 + 2 + text);
        assertThat(Npy.readHeader(npy(2, header), "x").dataOffset()).isEqualTo(6 + 2 + 4 + text);
    }

    @Test
    void dataLargerThanWhatTheEntryHoldsIsRefusedBeforeReading() {
        InputStream unreadable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        assertThatThrownBy(() -> Npy.readData(unreadable, 1L << 27, 8, 100, "w"))
                .isInstanceOf(InputException.class).hasMessage("w is truncated: its header declares 1073741824 data bytes,"
                        + " its entry holds 100");
        assertThatThrownBy(() -> Npy.readData(unreadable, Long.MAX_VALUE, 8, Long.MAX_VALUE, "w"))
                .hasMessage("w: array of 9223372036854775807 items of 8 bytes is too large");
    }

    @Test
    void headerTextInMessagesStaysOnOneLineAndShort() {
        String noDescr = "{'fortran_order': False, 'shape': (1,), 'x': '" + "y\n".repeat(500) + "\u001b', }";
        assertThatThrownBy(() -> Npy.readHeader(npy(1, noDescr), "w"))
                .isInstanceOf(InputException.class).hasMessageNotContaining("\n").hasMessageEndingWith("...");
        assertThatThrownBy(() -> Npy.readHeader(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,\u000bx), }"), "w"))
                .hasMessage("w: bad shape (1,\\u000bx)");
    }

    /** A .npy prefix of the given major version and header text (not padded: readers must not depend on it). */
    private static InputStream npy(int major, String header) {
        byte[] text = (header + "\n").getBytes(StandardCharsets.US_ASCII);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer bytes = ByteBuffer.allocate(8 + lengthBytes + text.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            bytes.putShort((short) text.length);
        } else {
            bytes.putInt(text.length);
        }
        bytes.put(text);
        return new ByteArrayInputStream(bytes.array());
    }
}
