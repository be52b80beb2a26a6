package dev.imet.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An .npz's arrays are sized against their zip entries before anything is allocated. */
class NpzTest {
    @TempDir
    Path tmp;

    @Test
    void arraysReadBack() {
        Path file = tmp.resolve("a.npz");
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        arrays.put("ids", new Npz.Strings(List.of("a", "bé")));
        arrays.put("probs", new Npz.Floats(new int[] {2, 1}, new float[] {0.5f, 1}));
        Npz.write(file, arrays);
        Map<String, Npz.Array> back = Npz.read(file, "ids", "probs");
        assertThat(((Npz.Strings) back.get("ids")).values()).containsExactly("a", "bé");
        assertThat(((Npz.Floats) back.get("probs")).values()).containsExactly(0.5f, 1);
    }

    @Test
    void anArrayLargerThanItsEntryIsTruncated() throws IOException {
        Path floats = npz("floats", "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 5), }", 8);
        assertThatThrownBy(() -> Npz.read(floats, "a")).isInstanceOf(InputException.class)
                .hasMessage(floats + ": array 'a' is truncated: its header declares 2000000000 data bytes, its entry holds 8");
        Path strings = npz("strings", "{'descr': '<U1000000', 'fortran_order': False, 'shape': (200,), }", 4);
        assertThatThrownBy(() -> Npz.read(strings, "a")).hasMessageContaining("is truncated: its header declares");
    }

    @Test
    void zeroWidthStringsAndShapesBeyondAnIntAreRefused() throws IOException {
        Path zeroWidth = npz("zero", "{'descr': '<U0', 'fortran_order': False, 'shape': (2000000000,), }", 0);
        assertThatThrownBy(() -> Npz.read(zeroWidth, "a")).hasMessage(zeroWidth + ": array 'a': bad string dtype '<U0'");
        Path wide = npz("wide", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296), }", 0);
        assertThatThrownBy(() -> Npz.read(wide, "a")).hasMessageContaining("is too large: shape [0, 4294967296]");
    }

    @Test
    void aDirectoryIsNamedAsOne() {
        assertThatThrownBy(() -> Npz.read(tmp, "a")).hasMessage(tmp + ": is a directory, not an .npz file");
    }

    /** An .npz with one deflated entry {@code a.npy}: the header text, then {@code dataBytes} zero bytes. */
    private Path npz(String name, String header, int dataBytes) throws IOException {
        Path file = tmp.resolve(name + ".npz");
        byte[] text = (header + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.npy"));
            zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, 0});
            zip.write(text);
            zip.write(new byte[dataBytes]);
        }
        return file;
    }
}
