package dev.imet.data;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The id column of a data CSV (train.csv, sample_submission.csv, folds.csv, submission.csv, solution.csv), with
 * the same rules in all of them: an id names an image file ({@code train/{id}.png}), so it must be a plain file
 * name, taken as written (no spaces stripped), and it may appear only once in a file.
 */
public final class IdColumn {
    private final String fileName;
    private final Map<String, Integer> firstLine = new HashMap<>();

    /** The id column of the file that problems name {@code fileName}. */
    public IdColumn(String fileName) {
        this.fileName = fileName;
    }

    /** Whether the id on this line is usable: a plain file name not seen on an earlier line. If not, says why. */
    public boolean accept(int line, String id, Consumer<DataProblem> problems) {
        String problem = problem(id);
        if (problem != null) {
            problems.accept(DataProblem.atLine(fileName, line, problem));
            return false;
        }
        Integer first = firstLine.putIfAbsent(id, line);
        if (first != null) {
            problems.accept(DataProblem.atLine(fileName, line, "duplicate id " + id + " (first on line " + first + ")"));
            return false;
        }
        return true;
    }

    /** Why an id cannot name an image file in a folder, or null if it can. */
    public static String problem(String id) {
        if (id.isEmpty()) {
            return "empty id";
        }
        if (id.equals(".") || id.equals("..") || id.contains("/") || id.contains("\\")) {
            return "id '" + id + "' is not a plain file name";
        }
        if (!id.equals(id.strip()) || id.chars().anyMatch(Character::isISOControl)) {
            return "id '" + id + "' has surrounding spaces or control characters";
        }
        return null;
    }
}
