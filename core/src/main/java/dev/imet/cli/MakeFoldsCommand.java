package dev.imet.cli;

import dev.imet.folds.MakeFolds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** make-folds (SPEC §2): iterative stratification of train.csv into folds.csv. */
@Command(name = "make-folds", mixinStandardHelpOptions = true,
        description = "Split train.csv into folds by iterative stratification; writes folds.csv (id,fold).")
public final class MakeFoldsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder with labels.csv and train.csv"
            + " (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("data");

    @Option(names = "--n-folds", paramLabel = "N", description = "Number of folds, at least 2 (default: ${DEFAULT-VALUE}).")
    int nFolds = MakeFolds.DEFAULT_N_FOLDS;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for the row order and tie-breaking (default: ${DEFAULT-VALUE}).")
    long seed = MakeFolds.DEFAULT_SEED;

    @Option(names = "--min-label-count", paramLabel = "N",
            description = "Labels with fewer rows are ignored when stratifying (their rows are still assigned)"
                    + " (default: ${DEFAULT-VALUE}).")
    int minLabelCount = MakeFolds.DEFAULT_MIN_LABEL_COUNT;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: DIR/folds.csv).")
    Path out;

    @Override
    public Integer call() {
        MakeFolds.Result result = MakeFolds.run(new MakeFolds.Options(data, nFolds, seed, minLabelCount, out));

        int[] sizes = result.foldSizes();
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("wrote %s: %d rows in %d folds%n", result.target(), result.rows(), sizes.length);
        for (int fold = 0; fold < sizes.length; fold++) {
            printer.printf("fold %d: %d rows%n", fold, sizes[fold]);
        }
        printer.flush();
        return Main.EXIT_OK;
    }
}
