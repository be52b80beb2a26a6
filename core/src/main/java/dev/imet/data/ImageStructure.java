package dev.imet.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * Whether a PNG or JPEG file is complete and well formed, judged from its structure in one streaming read and
 * without decoding a pixel: a header check passes a file cut after its first bytes, and training would meet it
 * mid-epoch. {@link PngStructure} walks a PNG's chunks through IEND, {@link JpegStructure} a JPEG's segments
 * through EOI; other formats are left to ImageIO's header check. The image data itself is not inflated or decoded.
 */
final class ImageStructure {
    /** The outcome: a complete file with its declared size, a broken one, or a format this class does not know. */
    sealed interface Verdict permits Complete, Broken, OtherFormat {}

    /** A well-formed PNG or JPEG file that declares {@code width x height} pixels. */
    record Complete(String format, long width, long height) implements Verdict {}

    /** A truncated or corrupt PNG or JPEG file, or one ImageIO cannot decode, and why. */
    record Broken(String reason) implements Verdict {}

    /** Neither PNG nor JPEG: left to ImageIO's header check. */
    record OtherFormat() implements Verdict {}

    private ImageStructure() {}

    /** Checks the {@code size} bytes of {@code in}, read once from its start; IOException only when reading fails. */
    static Verdict check(InputStream in, long size) throws IOException {
        StructureInput input = new StructureInput(in, size);
        try {
            if (input.startsWith(PngStructure.MAGIC)) {
                return PngStructure.check(input);
            }
            if (input.startsWith(JpegStructure.SOI_BYTES)) {
                return JpegStructure.check(input);
            }
            return new OtherFormat();
        } catch (StructureInput.BrokenFile e) {
            return new Broken(e.getMessage());
        }
    }
}
