package dev.imet.inference;

import dev.imet.data.ImageItem;
import dev.imet.data.LabelSet;
import dev.imet.eval.ThresholdSearch;
import dev.imet.eval.Thresholds;
import java.util.List;

/**
 * Validation: predict images whose labels are known, then search the thresholds that give the best mean F2.
 * The training checks and {@code validate} both run exactly this.
 *
 * @param images the number of images predicted
 * @param views  TTA views averaged
 * @param loss   the mean loss over the images
 * @param f2     the best mean F2 found
 * @param thresholds the thresholds that give it
 */
public record Validation(int images, int views, double loss, double f2, Thresholds thresholds) {

    /** How to validate: TTA views and their seed, the loss to report, and the binarisation search. */
    public record Options(int views, long seed, LossKind loss, int maxLabels, boolean perGroup) {}

    public static Validation run(Predictor predictor, List<ImageItem> items, LabelSet labels, Options options) {
        Predictor.Output out = predictor.predict(items, labels.size(), options.views(), options.seed(), options.loss(),
                null);
        List<int[]> truth = items.stream().map(ImageItem::labels).toList();
        ThresholdSearch.Result best = ThresholdSearch.search(out.probs(), out.rows(), truth, labels,
                options.maxLabels(), options.perGroup());
        return new Validation(items.size(), options.views(), out.loss(), best.f2(), best.thresholds());
    }
}
