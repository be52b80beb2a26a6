package dev.imet.folds;

import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** folds.csv: {@code id,fold}, one row per train.csv row, in train.csv order. */
public final class FoldsFile {
    private FoldsFile() {}

    /** Writes the folds atomically; ids and folds are parallel, in train.csv order. */
    public static void write(Path foldsCsv, List<String> ids, int[] folds) {
        if (ids.size() != folds.length) {
            throw new IllegalArgumentException(ids.size() + " ids but " + folds.length + " folds");
        }
        AtomicFiles.write(foldsCsv, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            printer.printRecord("id", "fold");
            for (int i = 0; i < folds.length; i++) {
                printer.printRecord(ids.get(i), folds[i]);
            }
            printer.flush();
        });
    }

    /**
     * Reads folds.csv and returns the fold of each train id, in trainIds order. Every train id must appear
     * exactly once with a fold number ≥ 0; anything else is an InputException naming the file and line.
     */
    public static int[] read(Path foldsCsv, List<String> trainIds) {
        Map<String, Integer> indexOf = new HashMap<>(trainIds.size() * 2);
        for (int i = 0; i < trainIds.size(); i++) {
            indexOf.put(trainIds.get(i), i);
        }
        int[] folds = new int[trainIds.size()];
        Arrays.fill(folds, -1);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(foldsCsv, StandardCharsets.UTF_8);
             CSVParser parser = format.parse(reader)) {
            if (!parser.getHeaderNames().containsAll(List.of("id", "fold"))) {
                throw new InputException(foldsCsv + " line 1: header must be id,fold");
            }
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                String id = record.isSet("id") ? record.get("id").trim() : "";
                String foldText = record.isSet("fold") ? record.get("fold").trim() : "";
                Integer index = indexOf.get(id);
                if (index == null) {
                    throw new InputException(foldsCsv + " line " + line + ": id '" + id + "' is not in train.csv");
                }
                if (folds[index] >= 0) {
                    throw new InputException(foldsCsv + " line " + line + ": duplicate id " + id);
                }
                folds[index] = parseFold(foldsCsv, line, foldText);
            }
        } catch (NoSuchFileException e) {
            throw new InputException(foldsCsv + ": file not found (run make-folds first)");
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new InputException("cannot read " + foldsCsv + ": " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < folds.length; i++) {
            if (folds[i] < 0) {
                missing.add(trainIds.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException(foldsCsv + ": " + missing.size() + " ids of train.csv have no fold, e.g. "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
        }
        return folds;
    }

    private static int parseFold(Path foldsCsv, long line, String text) {
        int fold;
        try {
            fold = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            fold = -1;
        }
        if (fold < 0) {
            throw new InputException(foldsCsv + " line " + line + ": bad fold number '" + text
                    + "' (expected an integer ≥ 0)");
        }
        return fold;
    }
}
