package dev.imet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks a data folder (SPEC §1) in one pass and reports every problem, each naming the file and line or the
 * image: the three CSV files, their ids and label ids (every train row has at least one), and every listed image
 * (it exists; a PNG or JPEG file is complete and well formed, another format has a header ImageIO reads; its
 * declared size is within the pixel limit; optionally it decodes). Images are checked in parallel since the real
 * set has 109k of them. The CSV part can run on its own ({@link #checkTrainCsv}, {@link #checkTestCsv}) for the
 * commands that read the CSVs but not the images, so that they accept and refuse exactly the files check-data does.
 */
public final class DataChecker {
    /** How deeply images are checked: their structure and header without decoding pixels (fast), or a full decode too. */
    public enum ImageCheck { HEADER, DECODE }

    static final String TRAIN_CSV = "train.csv";
    static final String TEST_CSV = "sample_submission.csv";
    static final String TRAIN_DIR = "train";
    static final String TEST_DIR = "test";
    private static final int IMAGES_PER_TASK = 256;

    private DataChecker() {}

    /** Every check, images held to {@link ImageFiles#DEFAULT_MAX_PIXELS}; see {@link #check(Path, ImageCheck, long)}. */
    public static DataReport check(Path root, ImageCheck imageCheck) {
        return check(root, imageCheck, ImageFiles.DEFAULT_MAX_PIXELS);
    }

    /**
     * Every check: labels.csv, train.csv, sample_submission.csv and the images they list, each of which may
     * declare at most {@code maxPixels} pixels (a UsageException when that is not a limit, see
     * {@link ImageFiles#requirePixelLimit}).
     */
    public static DataReport check(Path root, ImageCheck imageCheck, long maxPixels) {
        ImageFiles.requirePixelLimit(maxPixels);
        List<DataProblem> problems = new ArrayList<>();
        if (!isFolder(root, problems)) {
            return new DataReport(root, null, List.of(), List.of(), problems);
        }
        LabelSet.Parsed labels = LabelSet.parse(root.resolve(LabelSet.FILE_NAME), LabelSet.FILE_NAME, problems::add);
        List<AttributeIdsFile.Entry> train = trainEntries(root, labels, problems);
        List<AttributeIdsFile.Entry> test = testEntries(root, problems);
        boolean decode = imageCheck == ImageCheck.DECODE;
        problems.addAll(checkImages(root, TRAIN_DIR, TRAIN_CSV, train, decode, maxPixels));
        problems.addAll(checkImages(root, TEST_DIR, TEST_CSV, test, decode, maxPixels));
        return report(root, labels, train, test, problems);
    }

    /** labels.csv and train.csv with the checks of {@link #check}, without the images (make-folds, the baseline). */
    public static DataReport checkTrainCsv(Path root) {
        List<DataProblem> problems = new ArrayList<>();
        if (!isFolder(root, problems)) {
            return new DataReport(root, null, List.of(), List.of(), problems);
        }
        LabelSet.Parsed labels = LabelSet.parse(root.resolve(LabelSet.FILE_NAME), LabelSet.FILE_NAME, problems::add);
        List<AttributeIdsFile.Entry> train = trainEntries(root, labels, problems);
        return report(root, labels, train, List.of(), problems);
    }

    /** labels.csv and sample_submission.csv with the checks of {@link #check}, without the images (make-submission). */
    public static DataReport checkTestCsv(Path root) {
        List<DataProblem> problems = new ArrayList<>();
        if (!isFolder(root, problems)) {
            return new DataReport(root, null, List.of(), List.of(), problems);
        }
        LabelSet.Parsed labels = LabelSet.parse(root.resolve(LabelSet.FILE_NAME), LabelSet.FILE_NAME, problems::add);
        List<AttributeIdsFile.Entry> test = testEntries(root, problems);
        return report(root, labels, List.of(), test, problems);
    }

    private static boolean isFolder(Path root, List<DataProblem> problems) {
        if (Files.isDirectory(root)) {
            return true;
        }
        problems.add(DataProblem.inFile(root.toString(), Files.exists(root) ? "not a folder" : "data folder does not exist"));
        return false;
    }

    /** The rows of train.csv with a usable id; their label ids are checked against those labels.csv lists. */
    private static List<AttributeIdsFile.Entry> trainEntries(Path root, LabelSet.Parsed labels, List<DataProblem> problems) {
        CsvTable table = CsvTable.read(root.resolve(TRAIN_CSV), TRAIN_CSV, AttributeIdsFile.COLUMNS, problems::add);
        if (table == null) {
            return List.of();
        }
        if (table.isEmpty()) {
            problems.add(DataProblem.inFile(TRAIN_CSV, "no rows: the train set is empty"));
        }
        return AttributeIdsFile.trainEntries(table, labels.listedIds(), problems::add);
    }

    /** The rows of sample_submission.csv with a usable id: the test set. */
    private static List<AttributeIdsFile.Entry> testEntries(Path root, List<DataProblem> problems) {
        CsvTable table = CsvTable.read(root.resolve(TEST_CSV), TEST_CSV, AttributeIdsFile.COLUMNS, problems::add);
        return table == null ? List.of() : AttributeIdsFile.idEntries(table, problems::add);
    }

    /** Train rows whose label ids are all good become samples; every usable test id is a test id. */
    private static DataReport report(Path root, LabelSet.Parsed labels, List<AttributeIdsFile.Entry> train,
                                     List<AttributeIdsFile.Entry> test, List<DataProblem> problems) {
        List<Sample> samples = train.stream().filter(entry -> entry.labels() != null)
                .map(entry -> new Sample(entry.id(), entry.labels())).toList();
        List<String> testIds = test.stream().map(AttributeIdsFile.Entry::id).toList();
        return new DataReport(root, labels.labels(), samples, testIds, List.copyOf(problems));
    }

    private static List<DataProblem> checkImages(Path root, String folder, String csv, List<AttributeIdsFile.Entry> ids,
                                                 boolean decode, long maxPixels) {
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
                        AttributeIdsFile.Entry entry = ids.get(k);
                        Path file = ImageFiles.resolve(dir, entry.id());
                        String problem = ImageFiles.problem(file, decode, maxPixels);
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
