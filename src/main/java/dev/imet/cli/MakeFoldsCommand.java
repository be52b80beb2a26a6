package dev.imet.cli;

import dev.imet.common.AttributeIdsCsv;
import dev.imet.common.InputException;
import dev.imet.data.LabelSet;
import dev.imet.folds.FoldsFile;
import dev.imet.folds.IterativeStratification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** make-folds (SPEC §2): iterative stratification of train.csv into folds.csv. */
@Command(name = "make-folds", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Split train.csv into folds by iterative stratification; writes folds.csv (id,fold).")
public final class MakeFoldsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder with labels.csv and train.csv.")
    Path data = Path.of("data");

    @Option(names = "--n-folds", paramLabel = "N", description = "Number of folds.")
    int nFolds = 10;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for the row order and tie-breaking.")
    long seed = 42;

    @Option(names = "--min-label-count", paramLabel = "N",
            description = "Labels with fewer rows are ignored when stratifying (their rows are still assigned).")
    int minLabelCount = 30;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: DIR/folds.csv).")
    Path out;

    @Override
    public Integer call() {
        if (nFolds < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--n-folds must be at least 2");
        }
        LabelSet labels = LabelSet.read(data.resolve("labels.csv"));
        Path trainCsv = data.resolve("train.csv");
        List<AttributeIdsCsv.Row> train = AttributeIdsCsv.read(trainCsv, labels.size());
        if (train.size() < nFolds) {
            throw new InputException(trainCsv + ": " + train.size() + " rows, fewer than --n-folds " + nFolds);
        }
        int[] folds = IterativeStratification.assign(
                train.stream().map(AttributeIdsCsv.Row::labels).toList(), labels.size(), nFolds, minLabelCount, seed);
        Path target = out != null ? out : data.resolve("folds.csv");
        FoldsFile.write(target, train.stream().map(AttributeIdsCsv.Row::id).toList(), folds);

        int[] sizes = new int[nFolds];
        for (int fold : folds) {
            sizes[fold]++;
        }
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("wrote %s: %d rows in %d folds%n", target, folds.length, nFolds);
        for (int fold = 0; fold < nFolds; fold++) {
            printer.printf("fold %d: %d rows%n", fold, sizes[fold]);
        }
        printer.flush();
        return Main.EXIT_OK;
    }
}
