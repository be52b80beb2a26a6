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
        assertThatThrownBy(() -> Npy.readHeader(new ByteArrayInputStream("PK\3\4 not npy".getBytes(StandardCharsets.US_ASCII)), "w"))
                .hasMessage("w is not in .npy format (bad magic)");
        assertThatThrownBy(() -> Npy.readHeader(new ByteArrayInputStream(new byte[] {(byte) 0x93, 'N', 'U'}), "w"))
                .hasMessage("w is truncated");
    }

    @Test
    void dataIsReadExactlyOrIsTruncated() throws IOException {
        assertThat(Npy.readData(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), 2, 2, "w")).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> Npy.readData(new ByteArrayInputStream(new byte[6]), 2, 4, "w"))
                .isInstanceOf(InputException.class).hasMessage("w is truncated: 6 of 8 data bytes");
        assertThatThrownBy(() -> Npy.readData(new ByteArrayInputStream(new byte[0]), 1L << 40, 4, "w"))
                .hasMessageContaining("too large");
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
