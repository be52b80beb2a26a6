package dev.imet.cli;

import dev.imet.data.ImageFiles;
import dev.imet.predict.Predictions;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by validate, predict-test and predict-valid: which model, which data, how many views. */
final class InferenceOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model folder (a training run folder is one).")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the run's, else ./data).")
    Path data;

    @Option(names = "--tta", defaultValue = "2", paramLabel = "N", description = "Views averaged: 1 plain, 2 adds"
            + " the mirror, more add seeded random crops (default: ${DEFAULT-VALUE}).")
    int tta;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
            description = "Image decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--max-image-pixels", paramLabel = "N", description = "Refuse images that declare more pixels,"
            + " before decoding them (default: ${DEFAULT-VALUE}, as PIL).")
    long maxImagePixels = ImageFiles.DEFAULT_MAX_PIXELS;

    Predictions.Options toOptions(CommandLine commandLine) {
        try {
            return new Predictions.Options(model, data, tta, batchSize, workers, maxImagePixels);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
