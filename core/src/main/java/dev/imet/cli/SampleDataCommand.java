package dev.imet.cli;

import dev.imet.data.SampleData;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sample-data}: writes a small learnable data set in the iMet layout, plus solution.csv. */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
        description = "Write a small learnable data set in the iMet layout, plus solution.csv (true test labels).")
public final class SampleDataCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the data set into.")
    Path out;

    @Option(names = "--train", defaultValue = "400", paramLabel = "N", description = "Number of train images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", defaultValue = "100", paramLabel = "N", description = "Number of test images (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--size", defaultValue = "64", paramLabel = "PX", description = "Image width and height in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed; the same seed writes the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        SampleData.Options options;
        try {
            options = new SampleData.Options(train, test, size, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SampleData.write(out, options);
        spec.commandLine().getOut().printf("wrote %d train and %d test images of %dx%d px with %d labels to %s%n",
                train, test, size, size, SampleData.labelNames().size(), out);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
