package dev.imet.cli;

import dev.imet.predict.Predictions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code predict-test}: the test images (ids of sample_submission.csv) → a prediction file. */
@Command(name = "predict-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict the test images into a prediction file (.npz: ids, probs), for make-submission.")
public final class PredictTestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Option(names = "--out", paramLabel = "FILE", description = "Prediction file (default: MODEL/test.npz).")
    Path out;

    @Override
    public Integer call() {
        Predictions.Written written = Predictions.predictTest(inference.toOptions(spec.commandLine()), out);
        PredictValidCommand.printWritten(spec, written);
        return Main.EXIT_OK;
    }
}
