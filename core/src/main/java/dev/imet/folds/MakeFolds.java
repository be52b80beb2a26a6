package dev.imet.folds;

import dev.imet.common.InputException;
import dev.imet.common.UsageException;
import dev.imet.data.DataChecker;
import dev.imet.data.DataReport;
import dev.imet.data.FoldsFile;
import dev.imet.data.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * make-folds (SPEC §2): labels.csv and train.csv read with the checks check-data runs on them (so the two
 * commands accept the same files), the rows split by iterative stratification, folds.csv written atomically.
 */
public final class MakeFolds {
    public static final int DEFAULT_N_FOLDS = 10;
    public static final long DEFAULT_SEED = 42;
    /** The reference's: rarer labels are not stratified on. */
    public static final int DEFAULT_MIN_LABEL_COUNT = 30;

    private MakeFolds() {}

    /**
     * What to split and how.
     *
     * @param dataDir       the data folder (labels.csv, train.csv)
     * @param nFolds        number of folds, at least 2 (else a UsageException)
     * @param seed          seed of the row order and the tie-breaks
     * @param minLabelCount labels with fewer rows are ignored when stratifying (their rows still get a fold)
     * @param out           where to write folds.csv; null for {@code dataDir/folds.csv}
     */
    public record Options(Path dataDir, int nFolds, long seed, int minLabelCount, Path out) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            if (nFolds < 2) {
                throw new UsageException("--n-folds must be at least 2, not " + nFolds);
            }
        }

        /** The defaults of SPEC §2 for a data folder. */
        public static Options defaults(Path dataDir) {
            return new Options(dataDir, DEFAULT_N_FOLDS, DEFAULT_SEED, DEFAULT_MIN_LABEL_COUNT, null);
        }

        /** The file folds.csv goes to. */
        public Path target() {
            return out != null ? out : dataDir.resolve(FoldsFile.FILE_NAME);
        }
    }

    /** Where folds.csv went and how many rows each fold holds. */
    public record Result(Path target, int[] foldSizes) {
        public Result {
            foldSizes = foldSizes.clone();
        }

        @Override
        public int[] foldSizes() {
            return foldSizes.clone();
        }

        public int rows() {
            int rows = 0;
            for (int size : foldSizes) {
                rows += size;
            }
            return rows;
        }
    }

    /**
     * Splits train.csv and writes folds.csv. InputException listing every problem of labels.csv and train.csv, or
     * when train.csv has fewer rows than folds; nothing is written then.
     */
    public static Result run(Options options) {
        DataReport data = DataChecker.checkTrainCsv(options.dataDir()).requireOk();
        List<Sample> train = data.train();
        if (train.size() < options.nFolds()) {
            throw new InputException(options.dataDir().resolve("train.csv") + ": " + train.size()
                    + " rows, fewer than the " + options.nFolds() + " folds asked for");
        }
        int numClasses = data.labels().size();
        int[] folds = IterativeStratification.assign(train.stream().map(Sample::labels).toList(), numClasses,
                options.nFolds(), options.minLabelCount(), options.seed());
        Path target = options.target();
        FoldsFile.write(target, train.stream().map(Sample::id).toList(), folds);
        int[] sizes = new int[options.nFolds()];
        for (int fold : folds) {
            sizes[fold]++;
        }
        return new Result(target, sizes);
    }
}
