package dev.imet.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code id,attribute_ids} files: train.csv and sample_submission.csv of the data folder, and the
 * submission.csv and solution.csv that make-submission writes and score reads. One image id per row and a
 * space-separated list of label ids, read through {@link CsvTable} with the id rules of {@link IdColumn} and
 * one set of label-id rules, whichever command reads them.
 */
public final class AttributeIdsFile {
    static final List<String> COLUMNS = List.of("id", "attribute_ids");

    private AttributeIdsFile() {}

    /** A row whose id is usable: its line, the id, and its label ids sorted and distinct (null when one is bad). */
    record Entry(int line, String id, int[] labels) {}

    /**
     * Reads a submission or a solution file, whose label ids may be any non-negative integers. InputException
     * naming the file and the line of every problem.
     */
    public static List<Sample> read(Path csv) {
        return read(csv, null);
    }

    /** Reads an id,attribute_ids file whose label ids must be those of {@code labels}; see {@link #read(Path)}. */
    public static List<Sample> read(Path csv, LabelSet labels) {
        Set<Integer> known = labels == null ? null
                : IntStream.range(0, labels.size()).boxed().collect(Collectors.toUnmodifiableSet());
        List<DataProblem> problems = new ArrayList<>();
        CsvTable table = CsvTable.read(csv, csv.toString(), COLUMNS, problems::add);
        List<Sample> rows = new ArrayList<>();
        if (table != null) {
            for (Entry entry : entries(table, known, problems::add)) {
                if (entry.labels() != null) {
                    rows.add(new Sample(entry.id(), entry.labels()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw DataReport.failure(csv.toString(), problems);
        }
        return rows;
    }

    /** Writes the file atomically: ids in the order given, each row's label ids space-separated in their order. */
    public static void write(Path csv, List<String> ids, List<int[]> labels) {
        if (ids.size() != labels.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but " + labels.size() + " label lists");
        }
        CsvTable.write(csv, COLUMNS, ids.size(), row -> List.of(ids.get(row), join(labels.get(row))));
    }

    /**
     * The rows of the table whose id is usable, each with its label ids checked against {@code knownLabels}
     * (null: any non-negative id); an empty list is accepted (an image may be predicted no label). Every bad id
     * or label id goes to the sink.
     */
    static List<Entry> entries(CsvTable table, Set<Integer> knownLabels, Consumer<DataProblem> problems) {
        return entries(table, knownLabels, false, problems);
    }

    /**
     * The rows of train.csv: {@link #entries}, where a row without label ids is a problem too. Every image of
     * the competition's train set has a label; a row without one would teach "nothing here" and is almost
     * surely an export error.
     */
    static List<Entry> trainEntries(CsvTable table, Set<Integer> knownLabels, Consumer<DataProblem> problems) {
        return entries(table, knownLabels, true, problems);
    }

    private static List<Entry> entries(CsvTable table, Set<Integer> knownLabels, boolean labelRequired,
                                       Consumer<DataProblem> problems) {
        IdColumn ids = new IdColumn(table.name());
        List<Entry> entries = new ArrayList<>(table.rows().size());
        for (CsvTable.Row row : table.rows()) {
            String id = row.value(0);
            boolean idOk = ids.accept(row.line(), id, problems);
            int[] labels = parseLabelIds(table.name(), row.line(), row.value(1), knownLabels, problems);
            if (labelRequired && labels != null && labels.length == 0) {
                problems.accept(DataProblem.atLine(table.name(), row.line(), "id " + id
                        + " has no label ids (empty attribute_ids; every training image needs at least one)"));
                labels = null;
            }
            if (idOk) {
                entries.add(new Entry(row.line(), id, labels));
            }
        }
        return entries;
    }

    /**
     * The rows of the table whose id is usable, the attribute_ids column left unread: sample_submission.csv
     * holds only placeholder answers there.
     */
    static List<Entry> idEntries(CsvTable table, Consumer<DataProblem> problems) {
        IdColumn ids = new IdColumn(table.name());
        List<Entry> entries = new ArrayList<>(table.rows().size());
        for (CsvTable.Row row : table.rows()) {
            if (ids.accept(row.line(), row.value(0), problems)) {
                entries.add(new Entry(row.line(), row.value(0), null));
            }
        }
        return entries;
    }

    /** The sorted distinct label ids of an attribute_ids cell, or null if any is bad (each bad one is reported). */
    private static int[] parseLabelIds(String file, int line, String cell, Set<Integer> knownLabels,
                                       Consumer<DataProblem> problems) {
        String text = cell.strip();
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] tokens = text.split("\\s+");
        int[] ids = new int[tokens.length];
        boolean ok = true;
        for (int k = 0; k < tokens.length; k++) {
            Integer id = LabelSet.parseId(tokens[k]);
            if (id == null) {
                problems.accept(DataProblem.atLine(file, line, "label id '" + tokens[k] + "' is not an integer"));
                ok = false;
            } else if (knownLabels != null && !knownLabels.contains(id)) {
                problems.accept(DataProblem.atLine(file, line, "unknown label id " + id + " (not in " + LabelSet.FILE_NAME + ")"));
                ok = false;
            } else if (id < 0) {
                problems.accept(DataProblem.atLine(file, line, "label id " + id + " is negative"));
                ok = false;
            } else {
                ids[k] = id;
            }
        }
        return ok ? Arrays.stream(ids).sorted().distinct().toArray() : null;
    }

    private static String join(int[] labels) {
        StringJoiner joiner = new StringJoiner(" ");
        for (int label : labels) {
            joiner.add(Integer.toString(label));
        }
        return joiner.toString();
    }
}
