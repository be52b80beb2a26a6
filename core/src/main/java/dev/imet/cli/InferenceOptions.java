package dev.imet.cli;

import dev.imet.data.ImageFiles;
import dev.imet.model.Execution;
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

    @Option(names = "--precision", defaultValue = Execution.AUTO, paramLabel = "P", description = "fp32, bf16"
            + " (convolutions and matrix products in bfloat16, float32 weights and outputs), or auto: bf16 where the"
            + " processor has it natively (avx512_bf16, amx_bf16) or on a CUDA device with it (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--memory-format", defaultValue = Execution.AUTO, paramLabel = "FORMAT", description = "Layout"
            + " of the images in the engine: channels-last, contiguous, or auto: the faster for this network, size and"
            + " batch, measured on a few batches first (default: ${DEFAULT-VALUE}).")
    String memoryFormat;

    Predictions.Options toOptions(CommandLine commandLine) {
        try {
            return new Predictions.Options(model, data, tta, batchSize, workers, maxImagePixels,
                    Execution.Request.parse(precision, memoryFormat));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
