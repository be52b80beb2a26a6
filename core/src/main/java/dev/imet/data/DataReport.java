package dev.imet.data;

import dev.imet.common.InputException;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of checking a data folder: every problem found, and what could be read. {@code labels} is null
 * when labels.csv is unusable; {@code train} and {@code testIds} hold the rows that parsed (empty for a file the
 * check did not read).
 */
public record DataReport(Path root, LabelSet labels, List<Sample> train, List<String> testIds, List<DataProblem> problems) {
    /** How many problems an exception message lists before it only counts the rest. */
    public static final int MESSAGE_LIMIT = 50;

    public boolean ok() {
        return problems.isEmpty();
    }

    /** This report when it has no problem; else an InputException listing them (the first MESSAGE_LIMIT). */
    public DataReport requireOk() {
        if (!ok()) {
            throw new InputException(describe(MESSAGE_LIMIT));
        }
        return this;
    }

    /** The problem list under a heading naming the folder, the first {@code limit} problems then a count of the rest. */
    public String describe(int limit) {
        return describe("data folder " + root, problems, limit);
    }

    /**
     * The InputException for the problems of one file read on its own: the problem itself when there is one
     * (one line, "FILE line N: what"), else the list under a heading naming the file.
     */
    public static InputException failure(String file, List<DataProblem> problems) {
        if (problems.size() == 1) {
            return new InputException(problems.get(0).toString());
        }
        return new InputException(describe(file, problems, MESSAGE_LIMIT));
    }

    static String describe(String subject, List<DataProblem> problems, int limit) {
        StringBuilder text = new StringBuilder(subject).append(" has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        problems.stream().limit(limit).forEach(problem -> text.append("\n  ").append(problem));
        if (problems.size() > limit) {
            text.append("\n  ... and ").append(problems.size() - limit).append(" more (run check-data to list them all)");
        }
        return text.toString();
    }
}
