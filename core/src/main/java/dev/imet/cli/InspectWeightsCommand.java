package dev.imet.cli;

import dev.imet.model.WeightsInspection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inspect-weights FILE [--arch NAME] [--classes N] [--prefix-map OLD=NEW,...] [--all]}. */
@Command(name = "inspect-weights", mixinStandardHelpOptions = true,
        description = "Show what a weights file holds (.safetensors, .npz, PyTorch .pth/.pt in zip or legacy format)"
                + " and, with --arch, which keys match that network, are missing, unexpected or of another shape."
                + " Exit 1 if the file does not fit: everything outside the classifier (fc) must match exactly; a"
                + " classifier for another number of classes fits (--pretrained re-initialises it).")
public final class InspectWeightsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE",
            description = "The weights file (of a model folder: FOLDER/model.safetensors).")
    Path file;

    @Option(names = "--arch", paramLabel = "NAME", description = "Check against this architecture: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ArchNames.class, converter = ArchNames.class)
    String arch;

    @Option(names = "--classes", paramLabel = "N",
            description = "Classes of the network's classifier (default: the rows of the file's fc.weight, else 1000).")
    Integer classes;

    @Option(names = "--prefix-map", paramLabel = "OLD=NEW,...",
            description = "Rename key prefixes first, e.g. module.=,backbone.= (default: none).")
    String prefixMap;

    @Option(names = "--all", description = "List every tensor (default: the first "
            + WeightsInspection.LIST_LIMIT / 2 + " when there are more than " + WeightsInspection.LIST_LIMIT + ").")
    boolean all;

    @Override
    public Integer call() {
        if (classes != null && classes < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--classes must be at least 1");
        }
        WeightsInspection.Result result = WeightsInspection.inspect(file, arch, classes, prefixMap, all);
        PrintWriter out = spec.commandLine().getOut();
        result.lines().forEach(out::println);
        out.flush();
        return result.fits() ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
    }
}
