package dev.imet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imet.bench.ThroughputBench;
import dev.imet.model.Execution;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code benchmark}: training and inference images/s and peak memory as one JSON line (bench/compare.sh runs it). */
@Command(name = "benchmark", mixinStandardHelpOptions = true, description = "Measure training and inference images/s and peak memory; prints one JSON line.")
public final class BenchmarkCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--arch", required = true, paramLabel = "NAME", description = "Network architecture:"
            + " ${COMPLETION-CANDIDATES}.", completionCandidates = ArchNames.class, converter = ArchNames.class)
    String arch;

    @Option(names = "--size", defaultValue = "320", paramLabel = "PX", description = "Input side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--classes", defaultValue = "1103", paramLabel = "C", description = "Outputs, without --data (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads (default: the number of processors).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--train-iters", defaultValue = "6", paramLabel = "N", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int trainIters;

    @Option(names = "--infer-iters", defaultValue = "10", paramLabel = "N", description = "Timed inference batches (default: ${DEFAULT-VALUE}).")
    int inferIters;

    @Option(names = "--data", paramLabel = "DIR", description = "Also time training steps on this data folder's"
            + " train images fed from the files through the data pipeline (every image decoded), against the same"
            + " batches prepared in memory.")
    Path data;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Image loading threads with --data (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--precision", defaultValue = Execution.AUTO, paramLabel = "P", description = "fp32, bf16"
            + " (convolutions and matrix products in bfloat16, float32 weights), or auto: bf16 where the processor has"
            + " it natively, as train chooses (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--memory-format", defaultValue = Execution.AUTO, paramLabel = "FORMAT",
            description = "Layout of the images in the engine: channels-last, contiguous (NCHW, PyTorch's default), or"
                    + " auto: the faster for this network, size and batch, measured first, as train chooses"
                    + " (default: ${DEFAULT-VALUE}).")
    String memoryFormat;

    @Option(names = "--small-convolutions", defaultValue = Execution.AUTO, paramLabel = "HOW",
            description = "How training runs the 3x3 convolutions whose output is at most 2x2: direct, matmul"
                    + " (unfolded into one matrix product), or auto: the faster, measured first, as train chooses"
                    + " (default: ${DEFAULT-VALUE}). Inference runs them direct.")
    String smallConvolutions;

    @Option(names = "--profile", paramLabel = "FILE", description = "Also write the engine's per-operation trace of one"
            + " training step to FILE, and of one inference batch to FILE's sibling NAME-inference.json (Chrome trace JSON;"
            + " bench/profile.sh prints them as tables).")
    Path profile;

    @Override
    public Integer call() throws JsonProcessingException {
        ThroughputBench.Options options;
        try {
            options = new ThroughputBench.Options(arch, size, batchSize, classes,
                    threads != null ? threads : Runtime.getRuntime().availableProcessors(), warmup, trainIters, inferIters, data, workers,
                    Execution.Request.parse(precision, memoryFormat, smallConvolutions), profile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.println(new ObjectMapper().writeValueAsString(ThroughputBench.run(options)));
        out.flush();
        return Main.EXIT_OK;
    }
}
