package dev.imet.predict;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.imet.common.InputException;
import dev.imet.data.DataFolder;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageItem;
import dev.imet.data.FoldSplit;
import dev.imet.inference.Loss;
import dev.imet.inference.LossKind;
import dev.imet.inference.ExecutionChooser;
import dev.imet.inference.Predictor;
import dev.imet.model.Execution;
import dev.imet.model.ModelRegistry;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.run.RunConfigFile;
import dev.imet.run.RunFolder;
import dev.imet.run.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model folder opened for inference, with the data folder it runs on. When the model folder is a training run,
 * the data folder, folds file, fold and loss default to the run's own.
 */
final class ModelRun implements AutoCloseable {
    /** Seed of the random TTA views (3 and up): fixed, so that a prediction is repeatable. */
    static final long TTA_SEED = 20190601L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelRun.class);

    private final Path modelDir;
    private final ModelInfo info;
    private final TrainConfig trainConfig;
    private final DataFolder data;
    private final NDManager manager;
    private final Block block;
    private final long maxImagePixels;
    private final Execution execution;

    /**
     * Opens the model folder and loads the data folder ({@code dataOption}, else the run's, else ./data), refusing
     * images that declare more than {@code maxImagePixels} pixels; the network runs as {@code execution} asks, auto
     * resolved for batches of {@code batchSize} (inference).
     */
    ModelRun(Path modelDir, Path dataOption, long maxImagePixels, Execution.Request execution, int batchSize) {
        this.maxImagePixels = maxImagePixels;
        this.modelDir = modelDir;
        this.info = ModelFolder.readInfo(modelDir);
        RunFolder run = new RunFolder(modelDir);
        this.trainConfig = Files.exists(run.config()) ? RunConfigFile.read(run.config()).config() : null;
        Path dataDir = dataOption != null ? dataOption
                : trainConfig != null ? trainConfig.data().dir() : Path.of("data");
        this.data = DataFolder.load(dataDir, maxImagePixels);
        if (!data.labels().names().equals(info.labels())) {
            throw new InputException(dataDir.resolve("labels.csv") + ": the labels differ from those the model in "
                    + modelDir + " was trained on (" + info.numClasses() + " labels in model.json)");
        }
        this.execution = ExecutionChooser.choose(execution, ModelRegistry.get(info.arch()), info.numClasses(),
                info.input().size(), batchSize, ExecutionChooser.INFERENCE);
        LOG.info("execution: {} ({})", this.execution.describe(), this.execution.chosen());
        this.manager = NDManager.newBaseManager();
        this.block = ModelFolder.load(modelDir, manager, this.execution.precision());
    }

    ModelInfo info() {
        return info;
    }

    Path modelDir() {
        return modelDir;
    }

    DataFolder data() {
        return data;
    }

    /** The fold: the option when given, else the one the training run watched. */
    int fold(Integer option) {
        if (option != null) {
            return option;
        }
        if (trainConfig == null) {
            throw new InputException(modelDir + " is not a training run folder: give --fold");
        }
        return trainConfig.data().fold();
    }

    /** The loss validation reports: the run's training loss, else BCE. */
    Loss loss() {
        return trainConfig != null ? trainConfig.objective().lossFunction() : Loss.of(LossKind.BCE);
    }

    /** The validation fold's images with their labels. */
    List<ImageItem> validItems(Path foldsOption, int fold) {
        Path folds = foldsOption != null ? foldsOption
                : trainConfig != null && data.root().equals(trainConfig.data().dir()) ? trainConfig.data().folds()
                : data.root().resolve("folds.csv");
        return FoldSplit.of(data, folds, fold).valid();
    }

    List<ImageItem> testItems() {
        return data.testIds().stream().map(id -> new ImageItem(id, data.testImage(id), new int[0])).toList();
    }

    Predictor predictor(int batchSize, int workers) {
        return new Predictor(block, manager, info.input(), batchSize, workers, DecodedImageCache.withDefaultBudget(),
                maxImagePixels, execution.memoryFormat());
    }

    @Override
    public void close() {
        manager.close();
    }
}
