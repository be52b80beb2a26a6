package dev.imet.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Whether a PNG or JPEG file is complete and well formed, judged from its structure in one streaming read and
 * without decoding a pixel: a header check passes a file cut after its first bytes, and training would meet it
 * mid-epoch. PNG: the signature, then every chunk's length (within the file), type and CRC-32 through IEND, with a
 * sane IHDR first, a palette before the image data of a palette image, and consecutive IDAT chunks. JPEG: SOI,
 * then the marker segments with their lengths and the fields ImageIO's decoder (libjpeg 6b) refuses, and the
 * entropy-coded data of every scan up to the next marker, through EOI: a JPEG without EOI is truncated (ImageIO
 * would fill the missing part with grey without a word). The image data itself is not inflated or decoded.
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

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** The first bytes that make a file a PNG to us, so that a damaged rest of the signature is reported as such. */
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG_SOI = {(byte) 0xFF, (byte) 0xD8};
    private static final int BUFFER_BYTES = 1 << 16;

    // JPEG markers (the byte after 0xFF).
    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int DHT = 0xC4;
    private static final int DAC = 0xCC;
    private static final int RST0 = 0xD0;
    private static final int RST7 = 0xD7;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int APP0 = 0xE0;
    private static final int APP15 = 0xEF;
    private static final int COM = 0xFE;
    private static final int TEM = 0x01;
    /** libjpeg's JPEG_MAX_DIMENSION: the widest and tallest JPEG ImageIO decodes. */
    private static final int JPEG_MAX_SIDE = 65500;
    /** libjpeg's D_MAX_BLOCKS_IN_MCU: the most 8x8 blocks one unit of an interleaved scan may have. */
    private static final int JPEG_MAX_BLOCKS_IN_MCU = 10;
    /**
     * Huffman tables 0 and 1 that a sequential JPEG leaves out are the standard ones to ImageIO (as in Motion JPEG);
     * a progressive JPEG must define every table it uses, and any JPEG its quantisation tables.
     */
    private static final int JPEG_STANDARD_HUFFMAN_TABLES = 2;

    private ImageStructure() {}

    /** Checks the {@code size} bytes of {@code in}, read once from its start; IOException only when reading fails. */
    static Verdict check(InputStream in, long size) throws IOException {
        Input input = new Input(in, size);
        try {
            if (input.startsWith(PNG_MAGIC)) {
                return png(input);
            }
            if (input.startsWith(JPEG_SOI)) {
                return jpeg(input);
            }
            return new OtherFormat();
        } catch (BrokenFile e) {
            return new Broken(e.getMessage());
        }
    }

    // ---- PNG ----

    private static Verdict png(Input in) throws IOException, BrokenFile {
        if (!in.startsWith(PNG_SIGNATURE)) {
            throw in.size < PNG_SIGNATURE.length
                    ? new BrokenFile("truncated PNG: " + in.size + " bytes, shorter than the PNG signature")
                    : new BrokenFile("corrupt PNG: damaged signature (the first 8 bytes)");
        }
        in.skip(PNG_SIGNATURE.length);
        CRC32 crc = new CRC32();
        PngHeader header = null;
        boolean palette = false;
        ImageData imageData = ImageData.NOT_YET;
        while (true) {
            long at = in.position();
            if (in.remaining() < 12) {
                throw new BrokenFile("truncated PNG: the file ends at byte " + in.size + " without an IEND chunk");
            }
            long length = in.u32();
            byte[] typeBytes = in.bytes(4);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (!isChunkType(typeBytes)) {
                throw new BrokenFile("corrupt PNG: no chunk at byte " + at + " (its type is not four letters)");
            }
            if (length > in.remaining() - 4) {
                throw new BrokenFile("truncated PNG: chunk " + type + " at byte " + at + " declares " + length
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
                throw new BrokenFile("corrupt PNG: chunk " + type + " at byte " + at + " fails its CRC-32 check");
            }
            if (header == null && !type.equals("IHDR")) {
                throw new BrokenFile("corrupt PNG: the first chunk is " + type + ", not IHDR");
            }
            switch (type) {
                case "IHDR" -> {
                    if (header != null) {
                        throw new BrokenFile("corrupt PNG: a second IHDR chunk at byte " + at);
                    }
                    header = PngHeader.parse(data, length);
                }
                case "PLTE" -> {
                    if (data == null || length == 0 || length % 3 != 0) {
                        throw new BrokenFile("corrupt PNG: PLTE chunk at byte " + at + " has " + length
                                + " bytes, not 3 per entry for 1 to 256 entries");
                    }
                    palette = true;
                }
                case "IDAT" -> {
                    if (imageData == ImageData.DONE) {
                        throw new BrokenFile("corrupt PNG: IDAT chunk at byte " + at + " after other chunks that"
                                + " followed the image data (IDAT chunks must be consecutive)");
                    }
                    if (header.colourType() == PngHeader.PALETTE && !palette) {
                        throw new BrokenFile("corrupt PNG: palette image without a PLTE chunk before its image data");
                    }
                    imageData = ImageData.READING;
                }
                case "IEND" -> {
                    if (imageData == ImageData.NOT_YET) {
                        throw new BrokenFile("corrupt PNG: no IDAT chunk (no image data) before IEND");
                    }
                    return new Complete("PNG", header.width(), header.height());
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

        static PngHeader parse(byte[] data, long length) throws BrokenFile {
            if (length != 13) {
                throw new BrokenFile("corrupt PNG: IHDR chunk has " + length + " bytes, not 13");
            }
            long width = u32(data, 0);
            long height = u32(data, 4);
            int bitDepth = data[8] & 0xFF;
            int colourType = data[9] & 0xFF;
            if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                throw new BrokenFile("corrupt PNG: IHDR gives size " + width + " x " + height);
            }
            boolean depthFits = switch (colourType) {
                case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16; // grey
                case PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
                case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16; // RGB, grey + alpha, RGBA
                default -> false;
            };
            if (!depthFits) {
                throw new BrokenFile("corrupt PNG: IHDR gives colour type " + colourType + " with bit depth " + bitDepth
                        + ", which PNG does not define");
            }
            if (data[10] != 0 || data[11] != 0 || (data[12] & 0xFF) > 1) {
                throw new BrokenFile("corrupt PNG: IHDR gives compression method " + data[10] + ", filter method "
                        + data[11] + ", interlace method " + data[12] + " (PNG defines 0, 0 and 0 or 1)");
            }
            return new PngHeader(width, height, colourType);
        }
    }

    private static long u32(byte[] data, int at) {
        return (data[at] & 0xFFL) << 24 | (data[at + 1] & 0xFF) << 16 | (data[at + 2] & 0xFF) << 8 | data[at + 3] & 0xFF;
    }

    // ---- JPEG ----

    /** What the segments seen so far define. */
    private static final class JpegTables {
        JpegFrame frame;
        final boolean[] quantisation = new boolean[4];
        final boolean[] dcHuffman = new boolean[4];
        final boolean[] acHuffman = new boolean[4];
        int scans;

        /** Whether a scan may use Huffman table {@code id} of this class. */
        boolean hasHuffman(boolean[] defined, int id) {
            return id < defined.length && (defined[id] || !frame.progressive() && id < JPEG_STANDARD_HUFFMAN_TABLES);
        }
    }

    /** A frame header (SOFn): the image size and, per component, its id, sampling factors and quantisation table. */
    private record JpegFrame(boolean progressive, int width, int height, int[] ids, int[] horizontal, int[] vertical,
                             int[] quantisation) {}

    private static Verdict jpeg(Input in) throws IOException, BrokenFile {
        in.skip(JPEG_SOI.length);
        JpegTables tables = new JpegTables();
        int marker = in.marker();
        while (true) {
            long at = in.markerAt;
            if (marker == EOI) {
                if (tables.scans == 0) {
                    throw new BrokenFile("corrupt JPEG: end-of-image marker at byte " + at + " before any image data");
                }
                return new Complete("JPEG", tables.frame.width(), tables.frame.height());
            }
            if (marker == SOI) {
                throw new BrokenFile("corrupt JPEG: a second start-of-image marker at byte " + at);
            }
            if (marker >= RST0 && marker <= RST7 || marker == TEM) {
                marker = in.marker(); // stand-alone markers without a segment, which libjpeg passes over
                continue;
            }
            if (isFrame(marker) && !isKnownSegment(marker)) {
                throw new BrokenFile("JPEG of process " + markerName(marker) + " (lossless, hierarchical or arithmetic"
                        + " coding; frame header at byte " + at + "), which ImageIO does not decode");
            }
            if (!isKnownSegment(marker)) {
                throw new BrokenFile("corrupt JPEG: marker " + markerName(marker) + " at byte " + at
                        + " is not one ImageIO reads");
            }
            if (in.remaining() < 2) {
                throw truncatedJpeg(in);
            }
            int length = in.u16();
            if (length < 2) {
                throw new BrokenFile("corrupt JPEG: segment " + markerName(marker) + " at byte " + at + " has length " + length);
            }
            if (length - 2 > in.remaining()) {
                throw new BrokenFile("truncated JPEG: segment " + markerName(marker) + " at byte " + at + " declares "
                        + length + " bytes but the file ends at byte " + in.size);
            }
            String segment = markerName(marker) + " segment at byte " + at;
            switch (marker) {
                case SOF0, SOF1, SOF2 -> {
                    if (tables.frame != null) {
                        throw new BrokenFile("corrupt JPEG: a second frame header (" + segment + ")");
                    }
                    tables.frame = frame(in.bytes(length - 2), marker == SOF2, segment);
                }
                case DHT -> huffmanTables(in.bytes(length - 2), tables, segment);
                case DQT -> quantisationTables(in.bytes(length - 2), tables, segment);
                case DRI -> {
                    if (length != 4) {
                        throw new BrokenFile("corrupt JPEG: " + segment + " has length " + length + ", not 4");
                    }
                    in.skip(2);
                }
                case SOS -> {
                    scanHeader(in.bytes(length - 2), tables, segment);
                    tables.scans++;
                }
                default -> in.skip(length - 2); // APPn, COM, DAC, DNL: nothing ImageIO could refuse
            }
            marker = marker == SOS ? in.markerAfterEntropyCodedData() : in.marker();
        }
    }

    private static BrokenFile truncatedJpeg(Input in) {
        return new BrokenFile("truncated JPEG: the file ends at byte " + in.size + " before the end-of-image marker (EOI)");
    }

    private static boolean isFrame(int marker) {
        return marker >= SOF0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != DAC;
    }

    /** Markers with a segment that libjpeg reads; any other is an error there. */
    private static boolean isKnownSegment(int marker) {
        return marker == SOF0 || marker == SOF1 || marker == SOF2 || marker == DHT || marker == DAC
                || marker == SOS || marker == DQT || marker == DNL || marker == DRI
                || marker >= APP0 && marker <= APP15 || marker == COM;
    }

    private static String markerName(int marker) {
        if (isFrame(marker)) {
            return "SOF" + (marker - SOF0);
        }
        if (marker >= APP0 && marker <= APP15) {
            return "APP" + (marker - APP0);
        }
        return switch (marker) {
            case DHT -> "DHT";
            case DAC -> "DAC";
            case SOS -> "SOS";
            case DQT -> "DQT";
            case DNL -> "DNL";
            case DRI -> "DRI";
            case COM -> "COM";
            default -> String.format("0xFF%02X", marker);
        };
    }

    private static JpegFrame frame(byte[] data, boolean progressive, String segment) throws BrokenFile {
        if (data.length < 6 || data.length != 6 + 3 * (data[5] & 0xFF)) {
            throw new BrokenFile("corrupt JPEG: " + segment + " has " + (data.length + 2)
                    + " bytes, which do not fit its component count");
        }
        int precision = data[0] & 0xFF;
        int height = u16(data, 1);
        int width = u16(data, 3);
        int components = data[5] & 0xFF;
        if (precision != 8) {
            throw new BrokenFile("JPEG of " + precision + "-bit samples, which ImageIO does not decode (" + segment + ")");
        }
        if (height == 0) {
            throw new BrokenFile("JPEG whose height is given after its image data (DNL), which ImageIO does not decode");
        }
        if (width == 0) {
            throw new BrokenFile("corrupt JPEG: " + segment + " gives width 0");
        }
        if (width > JPEG_MAX_SIDE || height > JPEG_MAX_SIDE) {
            throw new BrokenFile("JPEG of " + width + " x " + height + " pixels; ImageIO decodes at most "
                    + JPEG_MAX_SIDE + " a side");
        }
        if (components != 1 && components != 3 && components != 4) {
            throw new BrokenFile("JPEG with " + components + " colour components, which ImageIO does not decode"
                    + " (it reads 1, 3 or 4)");
        }
        int[] ids = new int[components];
        int[] horizontal = new int[components];
        int[] vertical = new int[components];
        int[] quantisation = new int[components];
        int maxHorizontal = 1;
        int maxVertical = 1;
        for (int c = 0; c < components; c++) {
            ids[c] = data[6 + 3 * c] & 0xFF;
            horizontal[c] = (data[7 + 3 * c] & 0xFF) >> 4;
            vertical[c] = data[7 + 3 * c] & 0x0F;
            quantisation[c] = data[8 + 3 * c] & 0xFF;
            if (horizontal[c] < 1 || horizontal[c] > 4 || vertical[c] < 1 || vertical[c] > 4) {
                throw new BrokenFile("corrupt JPEG: " + segment + " gives component " + ids[c] + " sampling factors "
                        + horizontal[c] + "x" + vertical[c] + " (JPEG allows 1 to 4)");
            }
            if (quantisation[c] > 3) {
                throw new BrokenFile("corrupt JPEG: " + segment + " gives component " + ids[c]
                        + " quantisation table " + quantisation[c] + " (JPEG has 0 to 3)");
            }
            maxHorizontal = Math.max(maxHorizontal, horizontal[c]);
            maxVertical = Math.max(maxVertical, vertical[c]);
        }
        for (int c = 0; c < components; c++) {
            if (maxHorizontal % horizontal[c] != 0 || maxVertical % vertical[c] != 0) {
                throw new BrokenFile("JPEG whose sampling factors (" + segment + ") are not whole multiples of each"
                        + " other, which ImageIO does not decode");
            }
        }
        return new JpegFrame(progressive, width, height, ids, horizontal, vertical, quantisation);
    }

    private static void huffmanTables(byte[] data, JpegTables tables, String segment) throws BrokenFile {
        int at = 0;
        do {
            if (data.length - at < 17) {
                throw new BrokenFile("corrupt JPEG: " + segment + " ends inside a Huffman table");
            }
            int tableClass = (data[at] & 0xFF) >> 4;
            int id = data[at] & 0x0F;
            if (tableClass > 1 || id > 3) {
                throw new BrokenFile("corrupt JPEG: " + segment + " defines Huffman table class " + tableClass + " id "
                        + id + " (JPEG has classes 0 and 1, ids 0 to 3)");
            }
            // The code lengths must leave room for every code, all-ones codes excluded (libjpeg's check).
            int symbols = 0;
            long codes = 0;
            for (int bits = 1; bits <= 16; bits++) {
                int count = data[at + bits] & 0xFF;
                symbols += count;
                codes = (codes << 1) + count;
                if (codes >= 1L << bits) {
                    throw new BrokenFile("corrupt JPEG: " + segment + " has a Huffman table with more codes of "
                            + bits + " bits than fit");
                }
            }
            at += 17;
            if (data.length - at < symbols) {
                throw new BrokenFile("corrupt JPEG: " + segment + " ends inside a Huffman table");
            }
            if (tableClass == 0) {
                for (int k = 0; k < symbols; k++) {
                    if ((data[at + k] & 0xFF) > 15) {
                        throw new BrokenFile("corrupt JPEG: " + segment + " has a DC Huffman table with symbol "
                                + (data[at + k] & 0xFF) + " (at most 15)");
                    }
                }
                tables.dcHuffman[id] = true;
            } else {
                tables.acHuffman[id] = true;
            }
            at += symbols;
        } while (at < data.length);
    }

    private static void quantisationTables(byte[] data, JpegTables tables, String segment) throws BrokenFile {
        int at = 0;
        do {
            int precision = (data.length > at ? data[at] & 0xFF : 0xFF) >> 4;
            int id = data.length > at ? data[at] & 0x0F : 0;
            if (data.length == at || precision > 1 || id > 3) {
                throw new BrokenFile("corrupt JPEG: " + segment + " defines quantisation table precision " + precision
                        + " id " + id + " (JPEG has precisions 0 and 1, ids 0 to 3)");
            }
            int bytes = 1 + 64 * (precision + 1);
            if (data.length - at < bytes) {
                throw new BrokenFile("corrupt JPEG: " + segment + " ends inside a quantisation table");
            }
            tables.quantisation[id] = true;
            at += bytes;
        } while (at < data.length);
    }

    /** A scan header (SOS): its components must be the frame's, with defined tables and a valid progression. */
    private static void scanHeader(byte[] data, JpegTables tables, String segment) throws BrokenFile {
        JpegFrame frame = tables.frame;
        if (frame == null) {
            throw new BrokenFile("corrupt JPEG: " + segment + " before any frame header (SOFn)");
        }
        int components = data.length > 0 ? data[0] & 0xFF : 0;
        if (components < 1 || components > 4 || data.length != 1 + 2 * components + 3) {
            throw new BrokenFile("corrupt JPEG: " + segment + " has " + (data.length + 2)
                    + " bytes, which do not fit its component count");
        }
        int start = data[1 + 2 * components] & 0xFF;
        int end = data[2 + 2 * components] & 0xFF;
        int high = (data[3 + 2 * components] & 0xFF) >> 4;
        int low = data[3 + 2 * components] & 0x0F;
        boolean dc = start == 0;
        if (frame.progressive()
                && ((dc ? end != 0 : start > end || end > 63 || components != 1) || high != 0 && low != high - 1 || low > 13)) {
            throw new BrokenFile("corrupt JPEG: " + segment + " gives an invalid progression (Ss " + start + ", Se "
                    + end + ", Ah " + high + ", Al " + low + ")");
        }
        int blocks = 0;
        for (int k = 0; k < components; k++) {
            int id = data[1 + 2 * k] & 0xFF;
            int dcTable = (data[2 + 2 * k] & 0xFF) >> 4;
            int acTable = data[2 + 2 * k] & 0x0F;
            int c = indexOf(frame.ids(), id);
            if (c < 0) {
                throw new BrokenFile("corrupt JPEG: " + segment + " names component " + id + ", which the frame lacks");
            }
            if (!tables.quantisation[frame.quantisation()[c]]) {
                throw new BrokenFile("corrupt JPEG: component " + id + " uses quantisation table "
                        + frame.quantisation()[c] + ", which is not defined before " + segment);
            }
            boolean needsDc = !frame.progressive() || dc && high == 0;
            boolean needsAc = !frame.progressive() || !dc;
            if (needsDc && !tables.hasHuffman(tables.dcHuffman, dcTable)
                    || needsAc && !tables.hasHuffman(tables.acHuffman, acTable)) {
                throw new BrokenFile("corrupt JPEG: " + segment + " uses Huffman tables DC " + dcTable + ", AC "
                        + acTable + " for component " + id + ", which are not defined");
            }
            blocks += frame.horizontal()[c] * frame.vertical()[c];
        }
        if (components > 1 && blocks > JPEG_MAX_BLOCKS_IN_MCU) {
            throw new BrokenFile("JPEG whose sampling factors make " + blocks + " blocks per unit in " + segment
                    + "; ImageIO decodes at most " + JPEG_MAX_BLOCKS_IN_MCU);
        }
    }

    private static int indexOf(int[] values, int value) {
        for (int k = 0; k < values.length; k++) {
            if (values[k] == value) {
                return k;
            }
        }
        return -1;
    }

    private static int u16(byte[] data, int at) {
        return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
    }

    /** A file that is not a complete, well-formed image; the message says why. Used for control flow only. */
    private static final class BrokenFile extends Exception {
        BrokenFile(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The file as a stream of bytes of known size, read through one buffer. */
    private static final class Input {
        private final InputStream in;
        final long size;
        private final byte[] buffer;
        private long bufferStart;
        private int pos;
        private int limit;
        /** Where the 0xFF of the last marker read lies. */
        long markerAt;

        Input(InputStream in, long size) {
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
                throw truncatedJpeg(this);
            }
            int first = u8();
            if (first != 0xFF) {
                throw new BrokenFile("corrupt JPEG: expected a marker at byte " + markerAt + ", found "
                        + String.format("0x%02X", first));
            }
            int marker = fillBytesThenMarker();
            if (marker < 0) {
                throw truncatedJpeg(this);
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
                if (next > 0 && (next < RST0 || next > RST7)) {
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
    }
}
