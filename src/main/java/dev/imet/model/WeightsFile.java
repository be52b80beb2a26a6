package dev.imet.model;

import dev.imet.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.zip.ZipFile;

/** Reads the tensors of a weights file in any supported format, recognised by its content, not its name. */
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
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                return TorchCheckpoint.isZipCheckpoint(zip) ? Format.TORCH_ZIP : Format.NPZ;
            } catch (IOException e) {
                throw new InputException(file + ": looks like a zip archive but cannot be opened: " + e.getMessage(), e);
            }
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
            return Format.TORCH_LEGACY;
        }
        if (head.length == 9 && head[8] == '{') {
            return Format.SAFETENSORS;
        }
        throw new InputException(file + ": not a weights file this tool reads"
                + " (.safetensors, .npz, or a PyTorch .pth/.pt state dict in zip or legacy format)");
    }
}
