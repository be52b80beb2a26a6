package dev.imet.data;

import dev.imet.common.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The one reader of the data folder's CSV files (labels.csv, train.csv, sample_submission.csv, folds.csv,
 * submission.csv, solution.csv), so that every command accepts and refuses the same files: UTF-8 with or without
 * a byte-order mark, LF or CRLF line ends, quoted fields (which may span lines), and a header that names the
 * columns (in any order; extra columns are allowed). Every row keeps the 1-based line of the file it starts on,
 * so every message can name it. Structural problems (missing file, missing column, wrong column count, broken
 * quoting) go to the problem sink; the rules for the values belong to the callers.
 */
public final class CsvTable {
    private static final CSVFormat READ_FORMAT = CSVFormat.DEFAULT;
    /** The largest CSV read: the file is held in memory (as text, twice its bytes), so a huge one is refused first. */
    static final long MAX_BYTES = 1L << 30;
    private static final CSVFormat WRITE_FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    /** How Commons CSV names the line of broken quoting: where the record starts, or where the bad character is. */
    private static final Pattern PARSER_LINE = Pattern.compile("\\(startline ([\\d,]+)\\)|at line: ([\\d,]+), position: [\\d,]+");

    /** A data row: the line of the file it starts on, and the values of the requested columns in their order. */
    public record Row(int line, List<String> values) {
        public Row {
            values = List.copyOf(values);
        }

        /** The value of the {@code k}-th requested column. */
        public String value(int k) {
            return values.get(k);
        }
    }

    private final String name;
    private final List<Row> rows;
    private final int malformedRows;

    private CsvTable(String name, List<Row> rows, int malformedRows) {
        this.name = name;
        this.rows = List.copyOf(rows);
        this.malformedRows = malformedRows;
    }

    /** How the file is named in messages. */
    public String name() {
        return name;
    }

    /** The rows with the header's column count, in file order. */
    public List<Row> rows() {
        return rows;
    }

    /** Rows left out because their column count differs from the header's (each one was reported). */
    public int malformedRows() {
        return malformedRows;
    }

    /** True when the file has a header and no data row at all, not even a malformed one. */
    public boolean isEmpty() {
        return rows.isEmpty() && malformedRows == 0;
    }

    /**
     * Reads {@code file}, whose header must contain {@code columns}; {@code name} is how problems name the file
     * (a data folder's report names its files relative to the folder, a single file is named by its path).
     * Returns null when the file cannot be used at all (missing, unreadable, not UTF-8, no header, a missing
     * column, broken quoting), after reporting why.
     */
    public static CsvTable read(Path file, String name, List<String> columns, Consumer<DataProblem> problems) {
        String text;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                problems.accept(DataProblem.inFile(name, String.format(java.util.Locale.ROOT, "%,d bytes, more than"
                        + " the %,d a CSV of this tool may have (iMet's train.csv has 5 MB)", Files.size(file), MAX_BYTES)));
                return null;
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            problems.accept(DataProblem.inFile(name, "missing (expected a CSV file with columns " + String.join(",", columns) + ")"));
            return null;
        } catch (CharacterCodingException e) {
            problems.accept(DataProblem.inFile(name, "not UTF-8 text"));
            return null;
        } catch (IOException e) {
            problems.accept(DataProblem.inFile(name, "cannot read: " + e.getMessage()));
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
        try (CSVParser parser = CSVParser.parse(text, READ_FORMAT)) {
            for (CSVRecord record : parser) {
                int line = lineOf(lineStarts, record.getCharacterPosition());
                String[] values = record.values();
                if (header == null) {
                    header = values;
                    indexes = locateColumns(name, line, header, columns, problems);
                    if (indexes == null) {
                        return null;
                    }
                } else if (values.length != header.length) {
                    problems.accept(DataProblem.atLine(name, line, "expected " + header.length + " columns ("
                            + String.join(",", header) + "), found " + values.length));
                    malformed++;
                } else {
                    String[] requested = new String[indexes.length];
                    for (int k = 0; k < indexes.length; k++) {
                        requested[k] = values[indexes[k]];
                    }
                    rows.add(new Row(line, Arrays.asList(requested)));
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            problems.accept(brokenQuoting(name, e));
            return null;
        }
        if (header == null) {
            problems.accept(DataProblem.inFile(name, "empty file (expected a header " + String.join(",", columns) + ")"));
            return null;
        }
        return new CsvTable(name, rows, malformed);
    }

    /** Turns one row into a value; a NumberFormatException marks the row as bad. */
    @FunctionalInterface
    public interface RowParser<T> {
        T parse(Row row);
    }

    /**
     * Reads a file the tool wrote itself ({@code metrics.csv}, {@code labels.csv}) into one value per row; an
     * InputException naming the file and the line of every row that does not parse.
     */
    public static <T> List<T> readAll(Path file, List<String> columns, RowParser<T> parser) {
        List<DataProblem> problems = new ArrayList<>();
        CsvTable table = read(file, file.toString(), columns, problems::add);
        List<T> values = new ArrayList<>();
        if (table != null) {
            for (Row row : table.rows()) {
                try {
                    values.add(parser.parse(row));
                } catch (NumberFormatException e) {
                    problems.add(DataProblem.atLine(file.toString(), row.line(), "not a number: " + e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw DataReport.failure(file.toString(), problems);
        }
        return values;
    }

    /**
     * Writes a CSV atomically (see AtomicFiles): the header, then {@code rowCount} rows, LF line ends, fields
     * quoted only where they need it.
     */
    public static void write(Path file, List<String> header, int rowCount, IntFunction<List<?>> row) {
        AtomicFiles.write(file, out -> {
            // Not closed: AtomicFiles owns the stream and still has to sync it.
            CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_FORMAT);
            printer.printRecord(header);
            for (int i = 0; i < rowCount; i++) {
                printer.printRecord(row.apply(i));
            }
            printer.flush();
        });
    }

    /**
     * Commons CSV stops at broken quoting with an exception whose message names the line (it counts physical
     * lines, as we do); the problem names that line our way, and the two usual causes in words.
     */
    private static DataProblem brokenQuoting(String name, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage());
        String what;
        if (message.contains("EOF reached before encapsulated token finished")) {
            what = "a quoted field is not closed before the end of the file";
        } else if (message.contains("Invalid character between encapsulated token and delimiter")) {
            what = "text after the closing quote of a field";
        } else {
            what = message;
        }
        Matcher line = PARSER_LINE.matcher(message);
        if (line.find()) {
            String number = (line.group(1) != null ? line.group(1) : line.group(2)).replace(",", "");
            return DataProblem.atLine(name, Integer.parseInt(number), "malformed CSV: " + what);
        }
        return DataProblem.inFile(name, "malformed CSV: " + what);
    }

    private static int[] locateColumns(String name, int line, String[] header, List<String> columns,
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
            problems.accept(DataProblem.atLine(name, line, "header lacks column " + String.join(", ", missing)
                    + " (expected " + String.join(",", columns) + ", found " + String.join(",", header) + ")"));
            return null;
        }
        return indexes;
    }

    /** Offsets at which each line of the text starts (after LF, CRLF or a lone CR); index k holds line k+1. */
    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
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
