package dev.imet.data;

import java.nio.file.Path;
import java.util.List;

/** A checked data folder (SPEC §1): its labels, the train rows, and the test ids of sample_submission.csv. */
public record DataFolder(Path root, LabelSet labels, List<Sample> train, List<String> testIds) {

    /** {@link #load(Path, long)} with images held to {@link ImageFiles#DEFAULT_MAX_PIXELS}. */
    public static DataFolder load(Path root) {
        return load(root, ImageFiles.DEFAULT_MAX_PIXELS);
    }

    /**
     * Reads every CSV and checks them and the image files without decoding them (check-data's default pass),
     * images declaring at most {@code maxPixels} pixels; an InputException lists every problem found.
     */
    public static DataFolder load(Path root, long maxPixels) {
        DataReport report = DataChecker.check(root, DataChecker.ImageCheck.HEADER, maxPixels).requireOk();
        return new DataFolder(root, report.labels(), report.train(), report.testIds());
    }

    public Path trainImage(String id) {
        return ImageFiles.resolve(root.resolve(DataChecker.TRAIN_DIR), id);
    }

    public Path testImage(String id) {
        return ImageFiles.resolve(root.resolve(DataChecker.TEST_DIR), id);
    }
}
