package dev.imet.inference;

import dev.imet.data.ImageItem;
import dev.imet.data.LabelSet;
import dev.imet.eval.ThresholdSearch;
import dev.imet.eval.Thresholds;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Validation: predict images whose labels are known, then search the thresholds that give the best mean F2.
 * The training checks and {@code validate} both run exactly this.
 *
 * @param images the number of images predicted
 * @param views  TTA views averaged
 * @param loss   the mean loss over the images
 * @param f2     the best mean F2 found
 * @param thresholds the thresholds that give it
 * @param predictions the averaged probabilities, in the order of the items
 */
public record Validation(int images, int views, double loss, double f2, Thresholds thresholds,
        Predictor.Output predictions) {

    /** How to validate: TTA views and their seed, the loss to report, and the binarisation search. */
    public record Options(int views, long seed, Loss loss, int maxLabels, boolean perGroup) {}

    public static Validation run(Predictor predictor, List<ImageItem> items, LabelSet labels, Options options) {
        return run(predictor, items, labels, options, null);
    }

    /** As {@link #run(Predictor, List, LabelSet, Options)}, telling {@code onBatch} the images of every batch done. */
    public static Validation run(Predictor predictor, List<ImageItem> items, LabelSet labels, Options options,
            IntConsumer onBatch) {
        Predictor.Output out = predictor.predict(items, labels.size(), options.views(), options.seed(), options.loss(),
                onBatch);
        List<int[]> truth = items.stream().map(ImageItem::labels).toList();
        ThresholdSearch.Result best = ThresholdSearch.search(out.probs(), out.rows(), truth, labels,
                options.maxLabels(), options.perGroup());
        return new Validation(items.size(), options.views(), out.loss(), best.f2(), best.thresholds(), out);
    }
}
