package dev.imet.predict;

import dev.imet.common.UsageException;
import dev.imet.data.ImageItem;
import dev.imet.inference.PredictionFile;
import dev.imet.inference.Predictor;
import dev.imet.inference.Validation;
import dev.imet.model.ModelFolder;
import java.nio.file.Path;
import java.util.List;

/**
 * validate, predict-valid and predict-test (SPEC §6): a model folder run over a validation fold or the test
 * images, with TTA views.
 */
public final class Predictions {
    /**
     * Which model on which data, and how: TTA views averaged, images per batch, decoding threads.
     *
     * @param data the data folder, or null for the training run's (else ./data)
     */
    public record Options(Path model, Path data, int tta, int batchSize, int workers) {
        public Options {
            if (tta < 1 || batchSize < 1 || workers < 1) {
                throw new IllegalArgumentException("--tta, --batch-size and --workers must be at least 1");
            }
        }
    }

    /**
     * Which validation fold; nulls for the training run's.
     *
     * @param folds the folds file, or null for the run's (else DATA/folds.csv)
     * @param fold the fold, or null for the one the run watched
     */
    public record Fold(Path folds, Integer fold) {}

    /** What a prediction file holds and where it went. */
    public record Written(Path file, int images, int classes) {}

    private Predictions() {}

    /**
     * Validates on the fold: the mean loss and the best F2 with its thresholds, which are stored in the model's
     * {@code model.json} (with {@code maxLabels}) for make-submission.
     */
    public static Validation validate(Options options, Fold fold, int maxLabels, boolean perGroup) {
        if (maxLabels < 1) {
            throw new UsageException("--max-labels must be at least 1, not " + maxLabels);
        }
        try (ModelRun run = new ModelRun(options.model(), options.data())) {
            List<ImageItem> items = run.validItems(fold.folds(), run.fold(fold.fold()));
            Validation result = Validation.run(run.predictor(options.batchSize(), options.workers()), items,
                    run.data().labels(),
                    new Validation.Options(options.tta(), ModelRun.TTA_SEED, run.loss(), maxLabels, perGroup));
            ModelFolder.writeInfo(run.modelDir(),
                    run.info().withThresholds(result.thresholds().toMap(run.data().labels()), maxLabels));
            return result;
        }
    }

    /** Predicts the validation fold into {@code out} (null: MODEL/valid-foldK.npz). */
    public static Written predictValid(Options options, Fold fold, Path out) {
        try (ModelRun run = new ModelRun(options.model(), options.data())) {
            int k = run.fold(fold.fold());
            return predict(run, options, run.validItems(fold.folds(), k),
                    out != null ? out : options.model().resolve("valid-fold" + k + ".npz"));
        }
    }

    /** Predicts the test images (the ids of sample_submission.csv) into {@code out} (null: MODEL/test.npz). */
    public static Written predictTest(Options options, Path out) {
        try (ModelRun run = new ModelRun(options.model(), options.data())) {
            return predict(run, options, run.testItems(), out != null ? out : options.model().resolve("test.npz"));
        }
    }

    private static Written predict(ModelRun run, Options options, List<ImageItem> items, Path out) {
        Predictor.Output probs = run.predictor(options.batchSize(), options.workers())
                .predict(items, run.info().numClasses(), options.tta(), ModelRun.TTA_SEED, null, null);
        PredictionFile file = new PredictionFile(items.stream().map(ImageItem::id).toList(), probs.numClasses(),
                probs.probs());
        file.write(out);
        return new Written(out, items.size(), file.numClasses());
    }
}
