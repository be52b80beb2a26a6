package dev.imet.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file of the data folder read with Commons CSV: the rows that have the header's column count, each
 * with its 1-based line number in the file, how many rows were malformed, and the named columns located in
 * the header. Every structural
 * problem (missing file, missing header column, wrong column count, broken quoting) goes to the sink.
 */
record CsvTable(String fileName, List<Row> rows, int malformedRows, int[] columnIndexes) {

    /** A data row and the line of the file it starts on. */
    record Row(int line, String[] values) {}

    /** The value of the {@code k}-th requested column of a row. */
    String value(Row row, int k) {
        return row.values()[columnIndexes[k]];
    }

    /**
     * Reads {@code dir/fileName}, whose header must contain {@code columns} (any order, extra columns allowed).
     * Returns null when the file cannot be used at all (missing, unreadable, no header).
     */
    static CsvTable read(Path dir, String fileName, List<String> columns, Consumer<DataProblem> problems) {
        Path file = dir.resolve(fileName);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            problems.accept(DataProblem.inFile(fileName, "missing (expected a CSV file with columns " + String.join(",", columns) + ")"));
            return null;
        } catch (CharacterCodingException e) {
            problems.accept(DataProblem.inFile(fileName, "not UTF-8 text"));
            return null;
        } catch (IOException e) {
            problems.accept(DataProblem.inFile(fileName, "cannot read: " + e.getMessage()));
            return null;
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // byte-order mark written by some spreadsheet tools
        }
        int[] lineStarts = lineStarts(text);
        List<Row> rows = new ArrayList<>();
        String[] header = null;
        int[] indexes = null;
        int malformed = 0;
        try (CSVParser parser = CSVParser.parse(text, CSVFormat.DEFAULT)) {
            for (CSVRecord record : parser) {
                int line = lineOf(lineStarts, record.getCharacterPosition());
                String[] values = record.values();
                if (header == null) {
                    header = values;
                    indexes = locateColumns(fileName, line, header, columns, problems);
                    if (indexes == null) {
                        return null;
                    }
                } else if (values.length != header.length) {
                    problems.accept(DataProblem.atLine(fileName, line, "expected " + header.length + " columns ("
                            + String.join(",", header) + "), found " + values.length));
                    malformed++;
                } else {
                    rows.add(new Row(line, values));
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // Commons CSV reports broken quoting this way; its message carries the line where the bad record starts.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            problems.accept(DataProblem.inFile(fileName, "malformed CSV: " + cause.getMessage()));
            return null;
        }
        if (header == null) {
            problems.accept(DataProblem.inFile(fileName, "empty file (expected a header " + String.join(",", columns) + ")"));
            return null;
        }
        return new CsvTable(fileName, rows, malformed, indexes);
    }

    private static int[] locateColumns(String fileName, int line, String[] header, List<String> columns,
                                       Consumer<DataProblem> problems) {
        List<String> names = Arrays.stream(header).map(String::strip).toList();
        int[] indexes = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < columns.size(); k++) {
            indexes[k] = names.indexOf(columns.get(k));
            if (indexes[k] < 0) {
                missing.add(columns.get(k));
            }
        }
        if (!missing.isEmpty()) {
            problems.accept(DataProblem.atLine(fileName, line, "header lacks column " + String.join(", ", missing)
                    + " (expected " + String.join(",", columns) + ", found " + String.join(",", header) + ")"));
            return null;
        }
        return indexes;
    }

    /** Offsets at which each line of the text starts; index k holds line k+1. */
    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    private static int lineOf(int[] lineStarts, long characterPosition) {
        int found = Arrays.binarySearch(lineStarts, (int) characterPosition);
        return (found >= 0 ? found : -found - 2) + 1;
    }
}
