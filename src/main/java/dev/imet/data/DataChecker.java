package dev.imet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks a data folder (SPEC §1) in one pass and reports every problem, each naming the file and line or the
 * image: the three CSV files, their ids and label ids, and every listed image (existence, size, header, and
 * optionally full decoding). Images are checked in parallel since the real set has 109k of them.
 */
public final class DataChecker {
    /** How deeply images are checked: the header only (fast) or a full decode. */
    public enum ImageCheck { HEADER, DECODE }

    static final String TRAIN_CSV = "train.csv";
    static final String TEST_CSV = "sample_submission.csv";
    static final String TRAIN_DIR = "train";
    static final String TEST_DIR = "test";
    private static final List<String> COLUMNS = List.of("id", "attribute_ids");
    private static final int IMAGES_PER_TASK = 256;

    private DataChecker() {}

    public static DataReport check(Path root, ImageCheck imageCheck) {
        List<DataProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            problems.add(DataProblem.inFile(root.toString(), Files.exists(root) ? "not a folder" : "data folder does not exist"));
            return new DataReport(root, null, List.of(), List.of(), problems);
        }
        LabelSet.Parsed labels = LabelSet.parse(root, LabelSet.FILE_NAME, problems::add);

        List<Sample> train = new ArrayList<>();
        List<IdAtLine> trainIds = new ArrayList<>();
        CsvTable trainTable = CsvTable.read(root, TRAIN_CSV, COLUMNS, problems::add);
        if (trainTable != null) {
            Map<String, Integer> firstLine = new HashMap<>();
            for (CsvTable.Row row : trainTable.rows()) {
                String id = trainTable.value(row, 0);
                boolean idOk = checkId(TRAIN_CSV, row.line(), id, firstLine, problems);
                int[] labelIds = parseLabelIds(TRAIN_CSV, row.line(), trainTable.value(row, 1), labels.listedIds(), problems);
                if (idOk) {
                    trainIds.add(new IdAtLine(id, row.line()));
                    if (labelIds != null) {
                        train.add(new Sample(id, labelIds));
                    }
                }
            }
            if (trainTable.rows().isEmpty() && trainTable.malformedRows() == 0) {
                problems.add(DataProblem.inFile(TRAIN_CSV, "no rows: the train set is empty"));
            }
        }

        List<String> testIds = new ArrayList<>();
        List<IdAtLine> testIdLines = new ArrayList<>();
        CsvTable testTable = CsvTable.read(root, TEST_CSV, COLUMNS, problems::add);
        if (testTable != null) {
            Map<String, Integer> firstLine = new HashMap<>();
            for (CsvTable.Row row : testTable.rows()) {
                String id = testTable.value(row, 0);
                if (checkId(TEST_CSV, row.line(), id, firstLine, problems)) {
                    testIds.add(id);
                    testIdLines.add(new IdAtLine(id, row.line()));
                }
            }
        }

        boolean decode = imageCheck == ImageCheck.DECODE;
        problems.addAll(checkImages(root, TRAIN_DIR, TRAIN_CSV, trainIds, decode));
        problems.addAll(checkImages(root, TEST_DIR, TEST_CSV, testIdLines, decode));
        return new DataReport(root, labels.labels(), List.copyOf(train), List.copyOf(testIds), List.copyOf(problems));
    }

    /** Why an id cannot name an image file in a folder, or null if it can. */
    static String idProblem(String id) {
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

    private record IdAtLine(String id, int line) {}

    private static boolean checkId(String file, int line, String id, Map<String, Integer> firstLine, List<DataProblem> problems) {
        String problem = idProblem(id);
        if (problem != null) {
            problems.add(DataProblem.atLine(file, line, problem));
            return false;
        }
        Integer first = firstLine.putIfAbsent(id, line);
        if (first != null) {
            problems.add(DataProblem.atLine(file, line, "duplicate id " + id + " (first on line " + first + ")"));
            return false;
        }
        return true;
    }

    /** The sorted distinct label ids of an attribute_ids cell, or null if any is bad (each bad one is reported). */
    private static int[] parseLabelIds(String file, int line, String cell, Set<Integer> listedIds, List<DataProblem> problems) {
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
                problems.add(DataProblem.atLine(file, line, "label id '" + tokens[k] + "' is not an integer"));
                ok = false;
            } else if (listedIds != null && !listedIds.contains(id)) {
                problems.add(DataProblem.atLine(file, line, "unknown label id " + id + " (not in " + LabelSet.FILE_NAME + ")"));
                ok = false;
            } else {
                ids[k] = id;
            }
        }
        return ok ? Arrays.stream(ids).sorted().distinct().toArray() : null;
    }

    private static List<DataProblem> checkImages(Path root, String folder, String csv, List<IdAtLine> ids, boolean decode) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of(DataProblem.inFile(folder + "/", "folder missing (expected " + folder + "/{id}.png for the "
                    + ids.size() + " ids of " + csv + ")"));
        }
        DataProblem[] found = new DataProblem[ids.size()];
        int threads = Math.max(2, Math.min(32, 2 * Runtime.getRuntime().availableProcessors())); // IO-bound work
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "check-images");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int start = 0; start < ids.size(); start += IMAGES_PER_TASK) {
                int from = start;
                int to = Math.min(ids.size(), start + IMAGES_PER_TASK);
                tasks.add(pool.submit(() -> {
                    for (int k = from; k < to; k++) {
                        IdAtLine entry = ids.get(k);
                        Path file = ImageFiles.resolve(dir, entry.id());
                        String problem = ImageFiles.problem(file, decode);
                        if (problem != null) {
                            found[k] = DataProblem.inFile(folder + "/" + file.getFileName(),
                                    problem + " (id " + entry.id() + ", " + csv + " line " + entry.line() + ")");
                        }
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("image check failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return Arrays.stream(found).filter(java.util.Objects::nonNull).toList();
    }
}
