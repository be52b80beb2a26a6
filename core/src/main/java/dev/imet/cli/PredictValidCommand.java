package dev.imet.cli;

import dev.imet.predict.Predictions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code predict-valid}: a validation fold → a prediction file (for ensembling and threshold studies). */
@Command(name = "predict-valid", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict a validation fold into a prediction file (.npz: ids, probs).")
public final class PredictValidCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Mixin
    FoldOptions folds;

    @Option(names = "--out", paramLabel = "FILE", description = "Prediction file (default: MODEL/valid-foldK.npz).")
    Path out;

    @Override
    public Integer call() {
        printWritten(spec, Predictions.predictValid(inference.toOptions(spec.commandLine()), folds.toFold(), out));
        return Main.EXIT_OK;
    }

    static void printWritten(CommandLine.Model.CommandSpec spec, Predictions.Written written) {
        spec.commandLine().getOut().println("wrote " + written.file() + " (" + written.images() + " images x "
                + written.classes() + " classes)");
        spec.commandLine().getOut().flush();
    }
}
