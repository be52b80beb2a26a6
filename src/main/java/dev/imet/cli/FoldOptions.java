package dev.imet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which validation fold: validate and predict-valid. */
final class FoldOptions {
    @Option(names = "--folds", description = "folds.csv (default: the run's, else DATA/folds.csv).")
    Path folds;

    @Option(names = "--fold", description = "The fold (default: the one the run watched).")
    Integer fold;
}
