package dev.imet.data;

import java.io.IOException;

/**
 * JPEG's structure: SOI, then the marker segments with their lengths and the fields ImageIO's decoder (libjpeg 6b)
 * refuses, and the entropy-coded data of every scan up to the next marker, through EOI: a JPEG without EOI is
 * truncated (ImageIO would fill the missing part with grey without a word). Nothing is decoded.
 */
final class JpegStructure {
    static final byte[] SOI_BYTES = {(byte) 0xFF, (byte) 0xD8};
    // JPEG markers (the byte after 0xFF).
    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int DHT = 0xC4;
    private static final int DAC = 0xCC;
    static final int RST0 = 0xD0;
    static final int RST7 = 0xD7;
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

    private JpegStructure() {}

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

    /** The verdict on a file that starts like a JPEG; BrokenFile says what is wrong with it. */
    static ImageStructure.Verdict check(StructureInput in) throws IOException, StructureInput.BrokenFile {
        in.skip(SOI_BYTES.length);
        JpegTables tables = new JpegTables();
        int marker = in.marker();
        while (true) {
            long at = in.markerAt;
            if (marker == EOI) {
                if (tables.scans == 0) {
                    throw new StructureInput.BrokenFile("corrupt JPEG: end-of-image marker at byte " + at + " before any image data");
                }
                return new ImageStructure.Complete("JPEG", tables.frame.width(), tables.frame.height());
            }
            if (marker == SOI) {
                throw new StructureInput.BrokenFile("corrupt JPEG: a second start-of-image marker at byte " + at);
            }
            if (marker >= RST0 && marker <= RST7 || marker == TEM) {
                marker = in.marker(); // stand-alone markers without a segment, which libjpeg passes over
                continue;
            }
            if (isFrame(marker) && !isKnownSegment(marker)) {
                throw new StructureInput.BrokenFile("JPEG of process " + markerName(marker) + " (lossless, hierarchical or arithmetic"
                        + " coding; frame header at byte " + at + "), which ImageIO does not decode");
            }
            if (!isKnownSegment(marker)) {
                throw new StructureInput.BrokenFile("corrupt JPEG: marker " + markerName(marker) + " at byte " + at
                        + " is not one ImageIO reads");
            }
            if (in.remaining() < 2) {
                throw truncated(in);
            }
            int length = in.u16();
            if (length < 2) {
                throw new StructureInput.BrokenFile("corrupt JPEG: segment " + markerName(marker) + " at byte " + at + " has length " + length);
            }
            if (length - 2 > in.remaining()) {
                throw new StructureInput.BrokenFile("truncated JPEG: segment " + markerName(marker) + " at byte " + at + " declares "
                        + length + " bytes but the file ends at byte " + in.size);
            }
            String segment = markerName(marker) + " segment at byte " + at;
            switch (marker) {
                case SOF0, SOF1, SOF2 -> {
                    if (tables.frame != null) {
                        throw new StructureInput.BrokenFile("corrupt JPEG: a second frame header (" + segment + ")");
                    }
                    tables.frame = frame(in.bytes(length - 2), marker == SOF2, segment);
                }
                case DHT -> huffmanTables(in.bytes(length - 2), tables, segment);
                case DQT -> quantisationTables(in.bytes(length - 2), tables, segment);
                case DRI -> {
                    if (length != 4) {
                        throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " has length " + length + ", not 4");
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

    static StructureInput.BrokenFile truncated(StructureInput in) {
        return new StructureInput.BrokenFile("truncated JPEG: the file ends at byte " + in.size + " before the end-of-image marker (EOI)");
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

    private static JpegFrame frame(byte[] data, boolean progressive, String segment) throws StructureInput.BrokenFile {
        if (data.length < 6 || data.length != 6 + 3 * (data[5] & 0xFF)) {
            throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " has " + (data.length + 2)
                    + " bytes, which do not fit its component count");
        }
        int precision = data[0] & 0xFF;
        int height = u16(data, 1);
        int width = u16(data, 3);
        int components = data[5] & 0xFF;
        if (precision != 8) {
            throw new StructureInput.BrokenFile("JPEG of " + precision + "-bit samples, which ImageIO does not decode (" + segment + ")");
        }
        if (height == 0) {
            throw new StructureInput.BrokenFile("JPEG whose height is given after its image data (DNL), which ImageIO does not decode");
        }
        if (width == 0) {
            throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " gives width 0");
        }
        if (width > JPEG_MAX_SIDE || height > JPEG_MAX_SIDE) {
            throw new StructureInput.BrokenFile("JPEG of " + width + " x " + height + " pixels; ImageIO decodes at most "
                    + JPEG_MAX_SIDE + " a side");
        }
        if (components != 1 && components != 3 && components != 4) {
            throw new StructureInput.BrokenFile("JPEG with " + components + " colour components, which ImageIO does not decode"
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
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " gives component " + ids[c] + " sampling factors "
                        + horizontal[c] + "x" + vertical[c] + " (JPEG allows 1 to 4)");
            }
            if (quantisation[c] > 3) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " gives component " + ids[c]
                        + " quantisation table " + quantisation[c] + " (JPEG has 0 to 3)");
            }
            maxHorizontal = Math.max(maxHorizontal, horizontal[c]);
            maxVertical = Math.max(maxVertical, vertical[c]);
        }
        for (int c = 0; c < components; c++) {
            if (maxHorizontal % horizontal[c] != 0 || maxVertical % vertical[c] != 0) {
                throw new StructureInput.BrokenFile("JPEG whose sampling factors (" + segment + ") are not whole multiples of each"
                        + " other, which ImageIO does not decode");
            }
        }
        return new JpegFrame(progressive, width, height, ids, horizontal, vertical, quantisation);
    }

    private static void huffmanTables(byte[] data, JpegTables tables, String segment) throws StructureInput.BrokenFile {
        int at = 0;
        do {
            if (data.length - at < 17) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " ends inside a Huffman table");
            }
            int tableClass = (data[at] & 0xFF) >> 4;
            int id = data[at] & 0x0F;
            if (tableClass > 1 || id > 3) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " defines Huffman table class " + tableClass + " id "
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
                    throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " has a Huffman table with more codes of "
                            + bits + " bits than fit");
                }
            }
            at += 17;
            if (data.length - at < symbols) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " ends inside a Huffman table");
            }
            if (tableClass == 0) {
                for (int k = 0; k < symbols; k++) {
                    if ((data[at + k] & 0xFF) > 15) {
                        throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " has a DC Huffman table with symbol "
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

    private static void quantisationTables(byte[] data, JpegTables tables, String segment) throws StructureInput.BrokenFile {
        int at = 0;
        do {
            int precision = (data.length > at ? data[at] & 0xFF : 0xFF) >> 4;
            int id = data.length > at ? data[at] & 0x0F : 0;
            if (data.length == at || precision > 1 || id > 3) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " defines quantisation table precision " + precision
                        + " id " + id + " (JPEG has precisions 0 and 1, ids 0 to 3)");
            }
            int bytes = 1 + 64 * (precision + 1);
            if (data.length - at < bytes) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " ends inside a quantisation table");
            }
            tables.quantisation[id] = true;
            at += bytes;
        } while (at < data.length);
    }

    /** A scan header (SOS): its components must be the frame's, with defined tables and a valid progression. */
    private static void scanHeader(byte[] data, JpegTables tables, String segment) throws StructureInput.BrokenFile {
        JpegFrame frame = tables.frame;
        if (frame == null) {
            throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " before any frame header (SOFn)");
        }
        int components = data.length > 0 ? data[0] & 0xFF : 0;
        if (components < 1 || components > 4 || data.length != 1 + 2 * components + 3) {
            throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " has " + (data.length + 2)
                    + " bytes, which do not fit its component count");
        }
        int start = data[1 + 2 * components] & 0xFF;
        int end = data[2 + 2 * components] & 0xFF;
        int high = (data[3 + 2 * components] & 0xFF) >> 4;
        int low = data[3 + 2 * components] & 0x0F;
        boolean dc = start == 0;
        if (frame.progressive()
                && ((dc ? end != 0 : start > end || end > 63 || components != 1) || high != 0 && low != high - 1 || low > 13)) {
            throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " gives an invalid progression (Ss " + start + ", Se "
                    + end + ", Ah " + high + ", Al " + low + ")");
        }
        int blocks = 0;
        for (int k = 0; k < components; k++) {
            int id = data[1 + 2 * k] & 0xFF;
            int dcTable = (data[2 + 2 * k] & 0xFF) >> 4;
            int acTable = data[2 + 2 * k] & 0x0F;
            int c = indexOf(frame.ids(), id);
            if (c < 0) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " names component " + id + ", which the frame lacks");
            }
            if (!tables.quantisation[frame.quantisation()[c]]) {
                throw new StructureInput.BrokenFile("corrupt JPEG: component " + id + " uses quantisation table "
                        + frame.quantisation()[c] + ", which is not defined before " + segment);
            }
            boolean needsDc = !frame.progressive() || dc && high == 0;
            boolean needsAc = !frame.progressive() || !dc;
            if (needsDc && !tables.hasHuffman(tables.dcHuffman, dcTable)
                    || needsAc && !tables.hasHuffman(tables.acHuffman, acTable)) {
                throw new StructureInput.BrokenFile("corrupt JPEG: " + segment + " uses Huffman tables DC " + dcTable + ", AC "
                        + acTable + " for component " + id + ", which are not defined");
            }
            blocks += frame.horizontal()[c] * frame.vertical()[c];
        }
        if (components > 1 && blocks > JPEG_MAX_BLOCKS_IN_MCU) {
            throw new StructureInput.BrokenFile("JPEG whose sampling factors make " + blocks + " blocks per unit in " + segment
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
}
