package dev.imet.cli;

import dev.imet.predict.Predictions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which validation fold: validate and predict-valid. */
final class FoldOptions {
    @Option(names = "--folds", paramLabel = "FILE", description = "folds.csv (default: the run's, else"
            + " DATA/folds.csv).")
    Path folds;

    @Option(names = "--fold", paramLabel = "K", description = "The fold (default: the one the run watched).")
    Integer fold;

    Predictions.Fold toFold() {
        return new Predictions.Fold(folds, fold);
    }
}
