package dev.imet.data;

import dev.imet.common.InputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The attribute names of labels.csv in id order. Minimal version written by the METRIC helper to compile
 * against the shared contract; the DATA helper's class replaces it.
 */
public record LabelSet(List<String> names) {
    public static final String DEFAULT_GROUP = "default";

    public LabelSet {
        names = List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    public String name(int id) {
        return names.get(id);
    }

    /** The part of the name before "::", or "default" when there is none. */
    public String group(int id) {
        String name = names.get(id);
        int sep = name.indexOf("::");
        return sep < 0 ? DEFAULT_GROUP : name.substring(0, sep);
    }

    /** Distinct groups in first-appearance order. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (int id = 0; id < size(); id++) {
            String group = group(id);
            if (!groups.contains(group)) {
                groups.add(group);
            }
        }
        return groups;
    }

    public int groupIndex(int id) {
        return groups().indexOf(group(id));
    }

    public static LabelSet read(Path labelsCsv) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        List<String> names = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(labelsCsv, StandardCharsets.UTF_8);
             var parser = format.parse(reader)) {
            if (!parser.getHeaderNames().containsAll(List.of("attribute_id", "attribute_name"))) {
                throw new InputException(labelsCsv + ": header must be attribute_id,attribute_name");
            }
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                String id = record.get("attribute_id").trim();
                if (!id.equals(Integer.toString(names.size()))) {
                    throw new InputException(labelsCsv + " line " + line + ": attribute_id " + id
                            + " where " + names.size() + " was expected (ids must be 0..C-1 in order)");
                }
                names.add(record.get("attribute_name"));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new InputException("cannot read " + labelsCsv + ": " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            throw new InputException(labelsCsv + ": no labels");
        }
        return new LabelSet(names);
    }
}
