package dev.imet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by validate, predict-test and predict-valid: which model, which data, how many views. */
final class InferenceOptions {
    @Option(names = "--model", required = true, description = "Model folder (a training run folder is one).")
    Path model;

    @Option(names = "--data", description = "Data folder (default: the run's, else ./data).")
    Path data;

    @Option(names = "--tta", defaultValue = "2", description = "Views averaged: 1 plain, 2 adds the mirror, more add"
            + " seeded random crops.")
    int tta;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--workers", defaultValue = "2", description = "Image decoding threads.")
    int workers;
}
