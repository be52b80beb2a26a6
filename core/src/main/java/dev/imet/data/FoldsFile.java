package dev.imet.data;

import dev.imet.common.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** folds.csv: {@code id,fold}, one row per train.csv row, in train.csv order. */
public final class FoldsFile {
    /** The file's name in a data folder, where make-folds writes it by default. */
    public static final String FILE_NAME = "folds.csv";
    private static final List<String> COLUMNS = List.of("id", "fold");

    private FoldsFile() {}

    /** Writes the folds atomically; ids and folds are parallel, in train.csv order. */
    public static void write(Path foldsCsv, List<String> ids, int[] folds) {
        if (ids.size() != folds.length) {
            throw new IllegalArgumentException(ids.size() + " ids but " + folds.length + " folds");
        }
        CsvTable.write(foldsCsv, COLUMNS, folds.length, row -> List.of(ids.get(row), folds[row]));
    }

    /**
     * Reads folds.csv (through the data folder's CSV reader, with its id rules) and returns the fold of each
     * train id, in trainIds order. Every train id must appear exactly once with a fold number ≥ 0; anything else
     * is an InputException naming the file and the line of every problem.
     */
    public static int[] read(Path foldsCsv, List<String> trainIds) {
        if (!Files.exists(foldsCsv)) {
            throw new InputException(foldsCsv + ": file not found (run make-folds first)");
        }
        Map<String, Integer> indexOf = new HashMap<>(trainIds.size() * 2);
        for (int i = 0; i < trainIds.size(); i++) {
            indexOf.put(trainIds.get(i), i);
        }
        int[] folds = new int[trainIds.size()];
        Arrays.fill(folds, -1);
        String name = foldsCsv.toString();
        List<DataProblem> problems = new ArrayList<>();
        CsvTable table = CsvTable.read(foldsCsv, name, COLUMNS, problems::add);
        if (table != null) {
            IdColumn ids = new IdColumn(name);
            for (CsvTable.Row row : table.rows()) {
                String id = row.value(0);
                if (!ids.accept(row.line(), id, problems::add)) {
                    continue;
                }
                Integer index = indexOf.get(id);
                int fold = parseFold(row.value(1).strip());
                if (index == null) {
                    problems.add(DataProblem.atLine(name, row.line(), "id '" + id + "' is not in train.csv"));
                } else if (fold < 0) {
                    problems.add(DataProblem.atLine(name, row.line(), "bad fold number '" + row.value(1).strip()
                            + "' (expected an integer ≥ 0)"));
                } else {
                    folds[index] = fold;
                }
            }
            if (problems.isEmpty()) {
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < folds.length; i++) {
                    if (folds[i] < 0) {
                        missing.add(trainIds.get(i));
                    }
                }
                if (!missing.isEmpty()) {
                    problems.add(DataProblem.inFile(name, missing.size() + " ids of train.csv have no fold, e.g. "
                            + String.join(", ", missing.subList(0, Math.min(5, missing.size())))));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw DataReport.failure(name, problems);
        }
        return folds;
    }

    /** A fold number: a plain non-negative decimal integer, or -1. */
    private static int parseFold(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(text);
    }
}
