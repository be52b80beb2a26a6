package dev.imet.data;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The attribute names of {@code labels.csv} in id order (id k is {@code names().get(k)}). A name's group is
 * the part before {@code ::} ({@code culture}, {@code tag}), or {@code default} when it has none.
 */
public record LabelSet(List<String> names) {
    public static final String DEFAULT_GROUP = "default";
    static final String FILE_NAME = "labels.csv";
    private static final List<String> COLUMNS = List.of("attribute_id", "attribute_name");

    public LabelSet {
        // Groups are asked for per label in hot loops (binarisation), so they are indexed once here; a record
        // cannot hold derived fields, so the immutable name list carries them.
        names = names instanceof IndexedNames indexed ? indexed : new IndexedNames(names);
    }

    public int size() {
        return names.size();
    }

    public String name(int id) {
        return names.get(id);
    }

    public String group(int id) {
        IndexedNames indexed = (IndexedNames) names;
        return indexed.groups.get(indexed.groupIndexes[id]);
    }

    /** The distinct groups in order of first appearance. */
    public List<String> groups() {
        return ((IndexedNames) names).groups;
    }

    /** Index of the label's group in {@link #groups()}. */
    public int groupIndex(int id) {
        return ((IndexedNames) names).groupIndexes[id];
    }

    /** The group a label name belongs to. */
    public static String groupOf(String name) {
        int separator = name.indexOf("::");
        return separator < 0 ? DEFAULT_GROUP : name.substring(0, separator);
    }

    /** Reads a {@code labels.csv}; an InputException names the line of every problem of the file. */
    public static LabelSet read(Path labelsCsv) {
        List<DataProblem> problems = new ArrayList<>();
        Parsed parsed = parse(labelsCsv, labelsCsv.toString(), problems::add);
        if (!problems.isEmpty()) {
            throw DataReport.failure(labelsCsv.toString(), problems);
        }
        return parsed.labels();
    }

    /**
     * What a labels file yields: the label set when the file is valid (else null) and the ids it lists, valid or
     * not (null when the file could not be read), which is what rows of train.csv are checked against.
     */
    record Parsed(LabelSet labels, java.util.Set<Integer> listedIds) {}

    /** Reads and checks a labels file that problems name {@code fileName}. */
    static Parsed parse(Path file, String fileName, Consumer<DataProblem> problems) {
        CsvTable table = CsvTable.read(file, fileName, COLUMNS, problems);
        if (table == null) {
            return new Parsed(null, null);
        }
        int count = table.rows().size();
        if (count == 0) {
            problems.accept(DataProblem.inFile(fileName, "no labels (expected rows attribute_id,attribute_name with ids 0..C-1)"));
            return new Parsed(null, java.util.Set.of());
        }
        String[] byId = new String[count];
        Map<Integer, Integer> lineOfId = new HashMap<>();
        Map<String, Integer> lineOfName = new HashMap<>();
        java.util.Set<Integer> listed = new TreeSet<>();
        boolean valid = true;
        for (CsvTable.Row row : table.rows()) {
            String idText = row.value(0).strip();
            String name = row.value(1).strip();
            Integer id = parseId(idText);
            if (id == null) {
                problems.accept(DataProblem.atLine(fileName, row.line(), "attribute_id '" + idText + "' is not an integer"));
                valid = false;
                continue;
            }
            listed.add(id);
            Integer firstLine = lineOfId.putIfAbsent(id, row.line());
            if (firstLine != null) {
                problems.accept(DataProblem.atLine(fileName, row.line(), "duplicate attribute_id " + id + " (first on line " + firstLine + ")"));
                valid = false;
            } else if (id < 0 || id >= count) {
                problems.accept(DataProblem.atLine(fileName, row.line(), "attribute_id " + id + " outside 0.." + (count - 1)
                        + " (ids must be 0..C-1 for C = " + count + " labels)"));
                valid = false;
            } else {
                byId[id] = name;
            }
            if (name.isEmpty()) {
                problems.accept(DataProblem.atLine(fileName, row.line(), "empty attribute_name"));
                valid = false;
            } else {
                Integer nameLine = lineOfName.putIfAbsent(name, row.line());
                if (nameLine != null) {
                    problems.accept(DataProblem.atLine(fileName, row.line(), "duplicate attribute_name '" + name + "' (first on line " + nameLine + ")"));
                    valid = false;
                }
            }
        }
        return new Parsed(valid ? new LabelSet(List.of(byId)) : null, listed);
    }

    /** A label id as written in the CSVs: a plain decimal integer. */
    static Integer parseId(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An immutable list of names that also knows each name's group. */
    private static final class IndexedNames extends AbstractList<String> implements RandomAccess {
        private final String[] names;
        private final List<String> groups;
        private final int[] groupIndexes;

        IndexedNames(List<String> source) {
            names = source.toArray(String[]::new);
            groupIndexes = new int[names.length];
            Map<String, Integer> indexOfGroup = new LinkedHashMap<>();
            for (int id = 0; id < names.length; id++) {
                String group = groupOf(java.util.Objects.requireNonNull(names[id], "label name"));
                groupIndexes[id] = indexOfGroup.computeIfAbsent(group, g -> indexOfGroup.size());
            }
            groups = List.copyOf(indexOfGroup.keySet());
        }

        @Override
        public String get(int index) {
            return names[index];
        }

        @Override
        public int size() {
            return names.length;
        }
    }
}
