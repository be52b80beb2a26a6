package dev.imet.model;

import dev.imet.common.InputException;
import dev.imet.common.Printable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.zip.ZipFile;

/**
 * Reads the tensors of a weights file in any supported format, recognised by its content, not its name. Every
 * reader treats its file as hostile: sizes, shapes and offsets are checked, overflow-safe, against each other and
 * against the file before anything is allocated, and every failure is an InputException of one line naming the
 * file.
 */
public final class WeightsFile {
    /** The formats {@link #read} recognises. */
    public enum Format {
        SAFETENSORS("safetensors"),
        NPZ("numpy .npz"),
        TORCH_ZIP("PyTorch zip state dict"),
        TORCH_LEGACY("PyTorch legacy state dict");

        private final String description;

        Format(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** A file's tensors, by name in file order. */
    public record Contents(Path file, Format format, LinkedHashMap<String, TensorData> tensors) {}

    /** How much of a name or other text from a file a message shows. */
    private static final String EXPECTED =
            ".safetensors, .npz, or a PyTorch .pth/.pt state dict in zip or legacy format";

    private WeightsFile() {}

    public static Contents read(Path file) {
        Format format = detect(file);
        LinkedHashMap<String, TensorData> tensors = switch (format) {
            case SAFETENSORS -> SafeTensors.read(file);
            case NPZ -> NumpyArchive.read(file);
            case TORCH_ZIP, TORCH_LEGACY -> TorchCheckpoint.read(file);
        };
        return new Contents(file, format, tensors);
    }

    static Format detect(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not a weights file (expected " + EXPECTED
                    + "; a model folder keeps its weights in " + ModelFolder.WEIGHTS_FILE + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + problem(e), e);
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                return TorchCheckpoint.isZipCheckpoint(zip) ? Format.TORCH_ZIP : Format.NPZ;
            } catch (IOException e) {
                throw new InputException(file + ": looks like a zip archive but cannot be opened: " + problem(e), e);
            }
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
            return Format.TORCH_LEGACY;
        }
        if (head.length == 9 && head[8] == '{') {
            return Format.SAFETENSORS;
        }
        throw new InputException(file + ": not a weights file this tool reads (expected " + EXPECTED + ")");
    }

    /** An I/O error for a one-line message: its message, printable, or what it is when it has none. */
    static String problem(Exception e) {
        if (e.getMessage() == null) {
            return e instanceof EOFException ? "the file ends early" : e.getClass().getSimpleName();
        }
        return Printable.of(e.getMessage().lines().findFirst().orElse(""));
    }

    /** {@code 'text'}, {@link #printable}, for a name in a message. */
    static String quote(String text) {
        return "'" + Printable.of(text) + "'";
    }
}
