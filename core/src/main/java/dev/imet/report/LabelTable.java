package dev.imet.report;

import dev.imet.common.InputException;
import dev.imet.eval.LabelReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code labels.csv} of a validated run (one row per label, by support descending; written by validate), read by
 * its one reader ({@link LabelReport#read}) and laid out as text for display, as the file writes the values (an
 * undefined precision or recall is empty).
 *
 * @param columns  the columns, in the page's order
 * @param rows     the values of each row, one per column
 * @param numeric  per column: every value is a number (the page aligns and sorts it as one)
 * @param problems what did not read, each naming the file and line
 */
public record LabelTable(List<String> columns, List<List<String>> rows, List<Boolean> numeric, List<String> problems) {
    public static final List<String> COLUMNS = LabelReport.COLUMNS;

    public LabelTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        numeric = List.copyOf(numeric);
        problems = List.copyOf(problems);
    }

    /** Reads {@code file}; a file that does not read gives no rows and the reason in the problems. */
    public static LabelTable read(Path file) {
        List<LabelReport.Row> report;
        try {
            report = LabelReport.read(file);
        } catch (InputException e) {
            return new LabelTable(COLUMNS, List.of(), COLUMNS.stream().map(c -> false).toList(), List.of(e.getMessage()));
        }
        List<List<String>> rows = report.stream().map(LabelReport::values).toList();
        List<Boolean> numeric = new ArrayList<>();
        for (int k = 0; k < COLUMNS.size(); k++) {
            final int column = k;
            // precision and recall are empty where undefined (no prediction, no support)
            numeric.add(rows.stream().anyMatch(r -> isNumber(r.get(column)))
                    && rows.stream().allMatch(r -> r.get(column).isBlank() || isNumber(r.get(column))));
        }
        return new LabelTable(COLUMNS, rows, numeric, List.of());
    }

    static boolean isNumber(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
