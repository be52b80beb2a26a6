package dev.imet.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * PNG's structure: the signature, then every chunk's length (within the file), type and CRC-32 through IEND, with
 * a sane IHDR first, a palette before the image data of a palette image, and consecutive IDAT chunks. The image
 * data is not inflated.
 */
final class PngStructure {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** The first bytes that make a file a PNG to us, so that a damaged rest of the signature is reported as such. */
    static final byte[] MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    private PngStructure() {}

    /** The verdict on a file that starts like a PNG; BrokenFile says what is wrong with it. */
    static ImageStructure.Verdict check(StructureInput in) throws IOException, StructureInput.BrokenFile {
        if (!in.startsWith(SIGNATURE)) {
            throw in.size < SIGNATURE.length
                    ? new StructureInput.BrokenFile("truncated PNG: " + in.size + " bytes, shorter than the PNG signature")
                    : new StructureInput.BrokenFile("corrupt PNG: damaged signature (the first 8 bytes)");
        }
        in.skip(SIGNATURE.length);
        CRC32 crc = new CRC32();
        PngHeader header = null;
        boolean palette = false;
        ImageData imageData = ImageData.NOT_YET;
        while (true) {
            long at = in.position();
            if (in.remaining() < 12) {
                throw new StructureInput.BrokenFile("truncated PNG: the file ends at byte " + in.size + " without an IEND chunk");
            }
            long length = in.u32();
            byte[] typeBytes = in.bytes(4);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (!isChunkType(typeBytes)) {
                throw new StructureInput.BrokenFile("corrupt PNG: no chunk at byte " + at + " (its type is not four letters)");
            }
            if (length > in.remaining() - 4) {
                throw new StructureInput.BrokenFile("truncated PNG: chunk " + type + " at byte " + at + " declares " + length
                        + " data bytes but the file ends at byte " + in.size);
            }
            crc.reset();
            crc.update(typeBytes);
            byte[] data = null;
            if ((type.equals("IHDR") || type.equals("PLTE")) && length <= 3 * 256) {
                data = in.bytes((int) length); // kept to be read; a longer one is wrong and only streamed
                crc.update(data);
            } else {
                in.crc(crc, length);
            }
            if (in.u32() != crc.getValue()) {
                throw new StructureInput.BrokenFile("corrupt PNG: chunk " + type + " at byte " + at + " fails its CRC-32 check");
            }
            if (header == null && !type.equals("IHDR")) {
                throw new StructureInput.BrokenFile("corrupt PNG: the first chunk is " + type + ", not IHDR");
            }
            switch (type) {
                case "IHDR" -> {
                    if (header != null) {
                        throw new StructureInput.BrokenFile("corrupt PNG: a second IHDR chunk at byte " + at);
                    }
                    header = PngHeader.parse(data, length);
                }
                case "PLTE" -> {
                    if (data == null || length == 0 || length % 3 != 0) {
                        throw new StructureInput.BrokenFile("corrupt PNG: PLTE chunk at byte " + at + " has " + length
                                + " bytes, not 3 per entry for 1 to 256 entries");
                    }
                    palette = true;
                }
                case "IDAT" -> {
                    if (imageData == ImageData.DONE) {
                        throw new StructureInput.BrokenFile("corrupt PNG: IDAT chunk at byte " + at + " after other chunks that"
                                + " followed the image data (IDAT chunks must be consecutive)");
                    }
                    if (header.colourType() == PngHeader.PALETTE && !palette) {
                        throw new StructureInput.BrokenFile("corrupt PNG: palette image without a PLTE chunk before its image data");
                    }
                    imageData = ImageData.READING;
                }
                case "IEND" -> {
                    if (imageData == ImageData.NOT_YET) {
                        throw new StructureInput.BrokenFile("corrupt PNG: no IDAT chunk (no image data) before IEND");
                    }
                    return new ImageStructure.Complete("PNG", header.width(), header.height());
                }
                default -> imageData = imageData == ImageData.NOT_YET ? ImageData.NOT_YET : ImageData.DONE;
            }
        }
    }

    /** Where the chunks seen so far stand with the IDAT chunks, which must be consecutive. */
    private enum ImageData { NOT_YET, READING, DONE }

    /** PNG chunk types are four ASCII letters. */
    private static boolean isChunkType(byte[] type) {
        for (byte b : type) {
            if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** The fields of IHDR that decide whether a decoder can read the image. */
    private record PngHeader(long width, long height, int colourType) {
        static final int PALETTE = 3;

        static PngHeader parse(byte[] data, long length) throws StructureInput.BrokenFile {
            if (length != 13) {
                throw new StructureInput.BrokenFile("corrupt PNG: IHDR chunk has " + length + " bytes, not 13");
            }
            long width = u32(data, 0);
            long height = u32(data, 4);
            int bitDepth = data[8] & 0xFF;
            int colourType = data[9] & 0xFF;
            if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                throw new StructureInput.BrokenFile("corrupt PNG: IHDR gives size " + width + " x " + height);
            }
            boolean depthFits = switch (colourType) {
                case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16; // grey
                case PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
                case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16; // RGB, grey + alpha, RGBA
                default -> false;
            };
            if (!depthFits) {
                throw new StructureInput.BrokenFile("corrupt PNG: IHDR gives colour type " + colourType + " with bit depth " + bitDepth
                        + ", which PNG does not define");
            }
            if (data[10] != 0 || data[11] != 0 || (data[12] & 0xFF) > 1) {
                throw new StructureInput.BrokenFile("corrupt PNG: IHDR gives compression method " + data[10] + ", filter method "
                        + data[11] + ", interlace method " + data[12] + " (PNG defines 0, 0 and 0 or 1)");
            }
            return new PngHeader(width, height, colourType);
        }
    }

    private static long u32(byte[] data, int at) {
        return (data[at] & 0xFFL) << 24 | (data[at + 1] & 0xFF) << 16 | (data[at + 2] & 0xFF) << 8 | data[at + 3] & 0xFF;
    }
}
