package dev.imet.predict;

import dev.imet.common.UsageException;
import dev.imet.data.ImageFiles;
import dev.imet.data.ImageItem;
import dev.imet.data.LabelSet;
import dev.imet.eval.BinarizationRule;
import dev.imet.eval.LabelCountSearch;
import dev.imet.eval.LabelReport;
import dev.imet.eval.ThresholdSearch;
import dev.imet.inference.PredictionFile;
import dev.imet.inference.Progress;
import dev.imet.model.Execution;
import dev.imet.inference.Predictor;
import dev.imet.inference.Validation;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * validate, predict-valid and predict-test (SPEC §6): a model folder run over a validation fold or the test
 * images, with TTA views.
 */
public final class Predictions {
    /**
     * Which model on which data, and how: TTA views averaged, images per batch, decoding threads.
     *
     * @param data the data folder, or null for the training run's (else ./data)
     * @param maxImagePixels images declaring more pixels are refused before they are decoded
     */
    public record Options(Path model, Path data, int tta, int batchSize, int workers, long maxImagePixels,
            Execution.Request execution) {
        public Options {
            java.util.Objects.requireNonNull(execution, "execution");
            if (tta < 1 || batchSize < 1 || workers < 1) {
                throw new IllegalArgumentException("--tta, --batch-size and --workers must be at least 1");
            }
            ImageFiles.requirePixelLimit(maxImagePixels);
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

    /** The seed of the random TTA views (3 and up) of every prediction, for other runners of a model (the Spark job). */
    public static final long TTA_SEED = ModelRun.TTA_SEED;

    private Predictions() {}

    /**
     * How validate chooses the binarisation rule on the fold: at most {@code maxLabels} labels, one threshold or
     * one per group; then, when asked, thresholds of their own for the labels with at least {@code labelMinSupport}
     * positives in the fold (0: none), shrunk toward their group's by {@code labelShrinkage}
     * ({@link ThresholdSearch#labelThresholds}), or instead a labels-per-image rule ({@link LabelCountSearch}).
     */
    public record Binarization(int maxLabels, boolean perGroup, int labelMinSupport, double labelShrinkage,
            boolean labelCount) {
        /** The shrinkage of per-label thresholds unless one is given: a label with 10 positives moves half way. */
        public static final double LABEL_SHRINKAGE = 10;

        public Binarization {
            if (maxLabels < 1) {
                throw new UsageException("--max-labels must be at least 1, not " + maxLabels);
            }
            if (labelMinSupport < 0 || !(labelShrinkage >= 0)) {
                throw new UsageException("--label-thresholds and --label-shrinkage must be 0 or more, not "
                        + labelMinSupport + " and " + labelShrinkage);
            }
            if (labelMinSupport > 0 && labelCount) {
                throw new UsageException("give --label-thresholds or --label-count, not both");
            }
        }

        /** The group thresholds alone, as validate chose before per-label thresholds and label counts. */
        public static Binarization thresholds(int maxLabels, boolean perGroup) {
            return new Binarization(maxLabels, perGroup, 0, LABEL_SHRINKAGE, false);
        }
    }

    /**
     * What validate found: the validation itself (the threshold search), the rule it stored and that rule's F2 on
     * the fold (the search's when no other rule was asked for), the F2 of each label group under that rule (the sum
     * of its labels' shares of the mean F2), and the labels with the most support that were never predicted.
     */
    public record ValidationReport(Validation validation, BinarizationRule rule, double ruleF2,
            Map<String, Double> f2ByGroup, List<LabelReport.Row> neverPredicted, Path labelsFile, Path chartFile) {}

    /** Labels listed as never predicted: at most this many, each with at least {@link #FREQUENT} images. */
    static final int NEVER_PREDICTED_SHOWN = 10;
    static final int FREQUENT = 2;

    /**
     * Validates on the fold: the mean loss and the best F2 with its thresholds, and the rule chosen from them
     * ({@link Binarization}), which is stored in the model's {@code model.json} (with its maximum) for
     * make-submission; beside it {@code labels.csv} (every label under that rule) and {@code thresholds.png} (F2
     * against the group thresholds).
     */
    public static ValidationReport validate(Options options, Fold fold, Binarization binarization) {
        int maxLabels = binarization.maxLabels();
        boolean perGroup = binarization.perGroup();
        try (ModelRun run = new ModelRun(options.model(), options.data(), options.maxImagePixels(), options.execution(), options.batchSize())) {
            int k = run.fold(fold.fold());
            List<ImageItem> items = run.validItems(fold.folds(), k);
            LabelSet labels = run.data().labels();
            Validation result;
            try (Progress progress = Progress.of("validate", (long) items.size() * options.tta())) {
                result = Validation.run(run.predictor(options.batchSize(), options.workers()), items, labels,
                        new Validation.Options(options.tta(), ModelRun.TTA_SEED, run.loss(), maxLabels, perGroup),
                        progress::advance);
            }
            float[] probs = result.predictions().probs();
            List<int[]> truth = items.stream().map(ImageItem::labels).toList();
            BinarizationRule rule = new BinarizationRule(result.thresholds(), maxLabels);
            double ruleF2 = result.f2();
            ModelInfo.LabelCount storedCount = null;
            if (binarization.labelMinSupport() > 0) {
                ThresholdSearch.Result own = ThresholdSearch.labelThresholds(probs, items.size(), truth, labels,
                        maxLabels, result.thresholds(), binarization.labelMinSupport(), binarization.labelShrinkage());
                rule = new BinarizationRule(own.thresholds(), maxLabels);
                ruleF2 = own.f2();
            } else if (binarization.labelCount()) {
                LabelCountSearch.Result count = LabelCountSearch.search(probs, items.size(), truth, labels, maxLabels,
                        Map.of());
                rule = new BinarizationRule(result.thresholds(), maxLabels, Map.of(), count.labelCount());
                ruleF2 = count.f2();
                storedCount = new ModelInfo.LabelCount(count.labelCount().scale(), count.labelCount().offset());
            }
            Map<String, Double> ownThresholds = rule.thresholds().byLabel();
            ModelFolder.writeInfo(run.modelDir(), run.info().withRule(result.thresholds().toMap(labels), maxLabels,
                    ownThresholds.isEmpty() ? null : ownThresholds, storedCount));

            List<LabelReport.Row> rows = LabelReport.of(probs, items.size(), truth, labels, rule);
            Path labelsFile = run.modelDir().resolve(LabelReport.FILE_NAME);
            LabelReport.write(labelsFile, rows);
            Path chartFile = run.modelDir().resolve(ThresholdChart.FILE_NAME);
            ThresholdChart.write(chartFile, String.format(Locale.ROOT, "%s: fold %d, %d images, tta %d",
                    run.info().arch(), k, items.size(), options.tta()),
                    ThresholdSearch.curves(probs, items.size(), truth, labels, maxLabels, result.thresholds()),
                    result.thresholds(), result.f2(), labels.groups());

            Map<String, Double> byGroup = new LinkedHashMap<>();
            labels.groups().forEach(g -> byGroup.put(g, 0.0));
            rows.forEach(r -> byGroup.merge(r.group(), r.f2Contribution(), Double::sum));
            List<LabelReport.Row> neverPredicted = rows.stream()
                    .filter(r -> r.predicted() == 0 && r.support() >= FREQUENT).limit(NEVER_PREDICTED_SHOWN).toList();
            return new ValidationReport(result, rule, ruleF2, byGroup, neverPredicted, labelsFile, chartFile);
        }
    }

    /** Predicts the validation fold into {@code out} (null: MODEL/valid-foldK.npz). */
    public static Written predictValid(Options options, Fold fold, Path out) {
        try (ModelRun run = new ModelRun(options.model(), options.data(), options.maxImagePixels(), options.execution(), options.batchSize())) {
            int k = run.fold(fold.fold());
            return predict(run, options, run.validItems(fold.folds(), k),
                    out != null ? out : options.model().resolve("valid-fold" + k + ".npz"), "predict-valid");
        }
    }

    /** Predicts the test images (the ids of sample_submission.csv) into {@code out} (null: MODEL/test.npz). */
    public static Written predictTest(Options options, Path out) {
        try (ModelRun run = new ModelRun(options.model(), options.data(), options.maxImagePixels(), options.execution(), options.batchSize())) {
            return predict(run, options, run.testItems(), out != null ? out : options.model().resolve("test.npz"),
                    "predict-test");
        }
    }

    private static Written predict(ModelRun run, Options options, List<ImageItem> items, Path out, String task) {
        Predictor.Output probs;
        try (Progress progress = Progress.of(task, (long) items.size() * options.tta())) {
            probs = run.predictor(options.batchSize(), options.workers())
                    .predict(items, run.info().numClasses(), options.tta(), ModelRun.TTA_SEED, null, progress::advance);
        }
        PredictionFile file = new PredictionFile(items.stream().map(ImageItem::id).toList(), probs.numClasses(),
                probs.probs());
        file.write(out);
        return new Written(out, items.size(), file.numClasses());
    }
}
