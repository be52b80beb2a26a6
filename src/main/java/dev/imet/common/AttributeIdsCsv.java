package dev.imet.common;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The {@code id,attribute_ids} table shared by train.csv, sample_submission.csv, submission.csv and
 * solution.csv: one image id per row and a space-separated list of label ids.
 */
public final class AttributeIdsCsv {
    private static final String ID = "id";
    private static final String ATTRIBUTE_IDS = "attribute_ids";

    private AttributeIdsCsv() {}

    /** One row: an image id and its label ids, sorted ascending and distinct. */
    public record Row(String id, int[] labels) {}

    /**
     * Reads every row. Label ids must be integers in [0, numClasses) when numClasses is not negative
     * (a negative numClasses accepts any non-negative id). Throws InputException naming the file and line
     * for a missing column, an empty or duplicate id, a bad label id, or a file without rows.
     */
    public static List<Row> read(Path csv, int numClasses) {
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = headerFormat().parse(reader)) {
            requireColumns(csv, parser, true);
            for (CSVRecord record : parser) {
                String id = idOf(csv, record, seen);
                rows.add(new Row(id, parseLabels(csv, record, numClasses)));
            }
        } catch (NoSuchFileException e) {
            throw new InputException(csv + ": file not found");
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new InputException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new InputException(csv + ": no rows");
        }
        return rows;
    }

    /** Reads only the ids (the attribute_ids column may be absent or hold anything), with the same id checks. */
    public static List<String> readIds(Path csv) {
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = headerFormat().parse(reader)) {
            requireColumns(csv, parser, false);
            for (CSVRecord record : parser) {
                ids.add(idOf(csv, record, seen));
            }
        } catch (NoSuchFileException e) {
            throw new InputException(csv + ": file not found");
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new InputException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (ids.isEmpty()) {
            throw new InputException(csv + ": no rows");
        }
        return ids;
    }

    /** Writes the table atomically, label ids space-separated in the order given. */
    public static void write(Path csv, List<String> ids, List<int[]> labels) {
        if (ids.size() != labels.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but " + labels.size() + " label lists");
        }
        AtomicFiles.write(csv, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            printer.printRecord(ID, ATTRIBUTE_IDS);
            for (int i = 0; i < ids.size(); i++) {
                printer.printRecord(ids.get(i), join(labels.get(i)));
            }
            printer.flush();
        });
    }

    private static String join(int[] labels) {
        StringJoiner joiner = new StringJoiner(" ");
        for (int label : labels) {
            joiner.add(Integer.toString(label));
        }
        return joiner.toString();
    }

    private static CSVFormat headerFormat() {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get();
    }

    private static void requireColumns(Path csv, CSVParser parser, boolean needLabels) {
        List<String> header = parser.getHeaderNames();
        if (!header.contains(ID) || (needLabels && !header.contains(ATTRIBUTE_IDS))) {
            throw new InputException(csv + " line 1: header must have the columns " + ID
                    + (needLabels ? "," + ATTRIBUTE_IDS : "") + " (found " + String.join(",", header) + ")");
        }
    }

    private static long lineOf(CSVRecord record) {
        return record.getRecordNumber() + 1;
    }

    private static String idOf(Path csv, CSVRecord record, Set<String> seen) {
        String id = record.isSet(ID) ? record.get(ID).trim() : "";
        if (id.isEmpty()) {
            throw new InputException(csv + " line " + lineOf(record) + ": empty id");
        }
        if (!seen.add(id)) {
            throw new InputException(csv + " line " + lineOf(record) + ": duplicate id " + id);
        }
        return id;
    }

    private static int[] parseLabels(Path csv, CSVRecord record, int numClasses) {
        String text = record.isSet(ATTRIBUTE_IDS) ? record.get(ATTRIBUTE_IDS).trim() : "";
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] tokens = text.split("\\s+");
        int[] labels = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int label;
            try {
                label = Integer.parseInt(tokens[i]);
            } catch (NumberFormatException e) {
                label = -1;
            }
            if (label < 0 || (numClasses >= 0 && label >= numClasses)) {
                throw new InputException(csv + " line " + lineOf(record) + ": unknown label id '" + tokens[i]
                        + "' for image " + record.get(ID).trim()
                        + (numClasses >= 0 ? " (label ids are 0.." + (numClasses - 1) + ")" : ""));
            }
            labels[i] = label;
        }
        return Arrays.stream(labels).sorted().distinct().toArray();
    }
}
