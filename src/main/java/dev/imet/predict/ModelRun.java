package dev.imet.predict;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.imet.common.InputException;
import dev.imet.data.DataFolder;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageItem;
import dev.imet.eval.ThresholdSearch;
import dev.imet.eval.Thresholds;
import dev.imet.folds.FoldSplit;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.train.RunConfigFile;
import dev.imet.train.RunFolder;
import dev.imet.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model folder opened for inference: validate (loss, best F2 and its thresholds, stored back into
 * model.json), predict-valid and predict-test. When the folder is a training run, the data folder, folds file
 * and fold default to the run's own.
 */
public final class ModelRun implements AutoCloseable {
    /** What validate found. */
    public record Validation(int images, int views, double loss, double f2, Thresholds thresholds) {}

    /** Seed of the random TTA views (3 and up): fixed, so that a prediction is repeatable. */
    static final long TTA_SEED = 20190601L;

    private final Path modelDir;
    private final ModelInfo info;
    private final TrainConfig trainConfig;
    private final NDManager manager;
    private final Block block;

    public ModelRun(Path modelDir) {
        this.modelDir = modelDir;
        this.info = ModelFolder.readInfo(modelDir);
        RunFolder run = new RunFolder(modelDir);
        this.trainConfig = Files.exists(run.config()) ? RunConfigFile.read(run.config()).config() : null;
        this.manager = NDManager.newBaseManager();
        this.block = ModelFolder.load(modelDir, manager);
    }

    public ModelInfo info() {
        return info;
    }

    /** The data folder: the option when given, else the training run's, else ./data. */
    public Path dataFolder(Path option) {
        if (option != null) {
            return option;
        }
        return trainConfig != null ? trainConfig.data() : Path.of("data");
    }

    public int fold(Integer option) {
        if (option != null) {
            return option;
        }
        if (trainConfig == null) {
            throw new InputException(modelDir + " is not a training run folder: give --fold");
        }
        return trainConfig.fold();
    }

    public Path foldsFile(Path option, Path data) {
        if (option != null) {
            return option;
        }
        return trainConfig != null && data.equals(trainConfig.data()) ? trainConfig.folds() : data.resolve("folds.csv");
    }

    /** The validation fold's images with their labels. */
    public List<ImageItem> validItems(DataFolder data, Path foldsFile, int fold) {
        checkLabels(data);
        return FoldSplit.of(data, foldsFile, fold).valid();
    }

    public List<ImageItem> testItems(DataFolder data) {
        checkLabels(data);
        return data.testIds().stream().map(id -> new ImageItem(id, data.testImage(id), new int[0])).toList();
    }

    private void checkLabels(DataFolder data) {
        if (!data.labels().names().equals(info.labels())) {
            throw new InputException(data.root().resolve("labels.csv") + ": the labels differ from those the model in "
                    + modelDir + " was trained on (" + info.numClasses() + " labels in model.json)");
        }
    }

    public Predictor.Output predict(List<ImageItem> items, int views, int batchSize, int workers, TrainConfig.LossKind loss) {
        Predictor predictor = new Predictor(block, manager, info.imageSize(), info.mean(), info.std(), batchSize, workers,
                DecodedImageCache.withDefaultBudget());
        return predictor.predict(items, info.numClasses(), views, TTA_SEED, loss, null);
    }

    /** Validates on {@code items} and stores the best thresholds (and max labels) in model.json. */
    public Validation validate(DataFolder data, List<ImageItem> items, int views, int batchSize, int workers, int maxLabels,
            boolean perGroup) {
        TrainConfig.LossKind loss = trainConfig != null ? trainConfig.loss() : TrainConfig.LossKind.BCE;
        Predictor.Output out = predict(items, views, batchSize, workers, loss);
        List<int[]> truth = items.stream().map(ImageItem::labels).toList();
        ThresholdSearch.Result best = ThresholdSearch.search(out.probs(), out.rows(), truth, data.labels(), maxLabels, perGroup);
        ModelFolder.writeInfo(modelDir, info.withThresholds(best.thresholds().toMap(data.labels()), maxLabels));
        return new Validation(items.size(), views, out.loss(), best.f2(), best.thresholds());
    }

    public static PredictionFile toPredictionFile(List<ImageItem> items, Predictor.Output out) {
        return new PredictionFile(items.stream().map(ImageItem::id).toList(), out.numClasses(), out.probs());
    }

    @Override
    public void close() {
        manager.close();
    }
}
