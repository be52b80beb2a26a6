package dev.imet.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript archive of one parameterless module, written without Python: what {@code torch.jit.save} writes
 * for a module with no parameters, buffers or submodules. The zip (entries stored) holds {@code NAME/code/__torch__.py}
 * (the class's source), {@code NAME/data.pkl} (the module object, pickle protocol 2: {@code __torch__.CLASS} with
 * the state {@code {"training": True, "_is_full_backward_hook": None}}), {@code NAME/constants.pkl} (an empty
 * tuple) and {@code NAME/version} (3, a format version libtorch 2.x reads source archives of).
 */
public final class TorchScriptArchive {
    private static final String ARCHIVE = "forward";

    private TorchScriptArchive() {}

    /** The archive's bytes for the class {@code className} defined in {@code source}. */
    public static byte[] of(String className, String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setMethod(ZipOutputStream.STORED);
            put(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            put(zip, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            put(zip, "data.pkl", modulePickle(className));
            put(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** PROTO 2, GLOBAL __torch__ CLASS, EMPTY_TUPLE, NEWOBJ, the state dict, BUILD, STOP. */
    static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write(')');
        p.write(0x81);
        p.write('}');
        p.write('(');
        unicode(p, "training");
        p.write(0x88); // NEWTRUE
        unicode(p, "_is_full_backward_hook");
        p.write('N');
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.');
        return p.toByteArray();
    }

    /** BINUNICODE: 'X', little-endian 4-byte length, UTF-8. */
    private static void unicode(ByteArrayOutputStream p, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        for (int i = 0; i < 4; i++) {
            p.write(utf8.length >>> (8 * i) & 0xff);
        }
        p.writeBytes(utf8);
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(ARCHIVE + "/" + name);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
