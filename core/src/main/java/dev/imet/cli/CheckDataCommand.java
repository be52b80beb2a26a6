package dev.imet.cli;

import dev.imet.common.InputException;
import dev.imet.data.DataChecker;
import dev.imet.data.DataReport;
import dev.imet.data.ImageFiles;
import dev.imet.data.LabelSet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check-data}: every problem of a data folder in one report; exit 1 if any. */
@Command(name = "check-data", mixinStandardHelpOptions = true,
        description = "Report every problem of a data folder in one pass; exit 1 if any.")
public final class CheckDataCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "./data", paramLabel = "DIR", description = "The data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--decode", description = "Also decode every image fully, beyond checking its file structure and"
            + " header (slower).")
    boolean decode;

    @Option(names = "--max-image-pixels", paramLabel = "N", description = "Refuse images whose header declares more"
            + " pixels than this (default: ${DEFAULT-VALUE}, PIL's limit; at most " + ImageFiles.MAX_PIXELS_CEILING + ").")
    long maxImagePixels = ImageFiles.DEFAULT_MAX_PIXELS;

    @Override
    public Integer call() {
        DataReport report = DataChecker.check(data, decode ? DataChecker.ImageCheck.DECODE : DataChecker.ImageCheck.HEADER,
                maxImagePixels);
        if (!report.ok()) {
            throw new InputException(report.describe(Integer.MAX_VALUE));
        }
        LabelSet labels = report.labels();
        String groups = labels.groups().stream()
                .map(group -> group + " " + IntStream.range(0, labels.size()).filter(id -> labels.group(id).equals(group)).count())
                .collect(Collectors.joining(", "));
        spec.commandLine().getOut().printf("ok: %d train images, %d test images, %d labels (%s)%n",
                report.train().size(), report.testIds().size(), labels.size(), groups);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
