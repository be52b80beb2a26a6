package dev.imet.cli;

import dev.imet.model.ModelRegistry;
import dev.imet.train.LrSchedule;
import dev.imet.train.TrainConfig;
import dev.imet.train.Training;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: options → {@link TrainConfig} → {@link Training}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Train a network on all folds but one, watching that fold. Writes a run folder: config.json,"
                + " metrics.csv, train.log, the best model (model.safetensors + model.json) and a resumable"
                + " checkpoint. Ctrl+C writes a checkpoint before exiting; --resume continues.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Data folder.", defaultValue = "data")
    Path data;

    @Option(names = "--folds", description = "folds.csv (default: DATA/folds.csv).")
    Path folds;

    @Option(names = "--fold", description = "The fold to watch; training uses all others. Required for a new run.")
    Integer fold;

    @Option(names = "--arch", description = "Architecture: ${COMPLETION-CANDIDATES}. Required for a new run.",
            completionCandidates = ArchNames.class)
    String arch;

    @Option(names = "--size", description = "Input size in pixels (default: the architecture's, 320).")
    Integer size;

    @Option(names = "--batch-size", defaultValue = "32")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "10")
    int epochs;

    @Option(names = "--head-epochs", description = "Stage 1: epochs training only the head (default: 1 with"
            + " --pretrained, 0 from scratch).")
    Integer headEpochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "The head's learning rate; the other groups' rates"
            + " scale with it (--lr-ratios).")
    double lr;

    @Option(names = "--lr-ratios", split = ",", description = "Rate of each group over --lr: stem..layer3a,"
            + " layer3b..layer4, head (default: 0.1,0.3,1 with --pretrained, 1,1,1 from scratch).")
    double[] lrRatios;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Decoupled (AdamW) weight decay of conv"
            + " and linear weights.")
    double weightDecay;

    @Option(names = "--warmup", defaultValue = "0.1", description = "Fraction of stage 2 spent warming up.")
    double warmup;

    @Option(names = "--schedule", defaultValue = "triangular", description = "Decay after warm-up:"
            + " ${COMPLETION-CANDIDATES}.")
    LrSchedule.Shape schedule;

    @Option(names = "--freeze-stages", defaultValue = "0", description = "Keep the first N stages (stem, layer1..4)"
            + " frozen throughout; 3 trains only layer3, layer4 and the head.")
    int freezeStages;

    @Option(names = "--loss", defaultValue = "focal", description = "${COMPLETION-CANDIDATES}.")
    TrainConfig.LossKind loss;

    @Option(names = "--mixup", defaultValue = "0.2", description = "Mixup alpha in stage 2; 0 turns it off.")
    double mixup;

    @Option(names = "--clip-norm", defaultValue = "10", description = "Gradient-norm clipping; 0 turns it off.")
    double clipNorm;

    @Option(names = "--valid-every", defaultValue = "0.5", description = "Validation check every this many epochs"
            + " (0.5 or 1).")
    double validEvery;

    @Option(names = "--early-stop", defaultValue = "4", description = "Stop after N checks without a better F2;"
            + " 0 never stops early.")
    int earlyStop;

    @Option(names = "--max-labels", defaultValue = "10", description = "Binarisation rule used for the F2 checks.")
    int maxLabels;

    @Option(names = "--pretrained", description = "Initial weights: .safetensors, .npz, .pth or .pt state dict.")
    Path pretrained;

    @Option(names = "--prefix-map", description = "Rename keys of --pretrained: old=new[,old=new...], e.g. module.=")
    String prefixMap;

    @Option(names = "--run-dir", description = "Run folder (default: runs/ARCH-foldK).")
    Path runDir;

    @Option(names = "--resume", description = "Continue the run in --run-dir from its last checkpoint.")
    boolean resume;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--workers", defaultValue = "2", description = "Image decoding and augmentation threads.")
    int workers;

    @Option(names = "--steps-per-epoch", defaultValue = "0", description = "Cap on the steps of an epoch (0: all"
            + " batches); for quick trials.")
    long stepsPerEpoch;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (resume) {
            if (runDir == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--resume needs --run-dir: the run folder to continue");
            }
            return exitCode(Training.resume(runDir));
        }
        return exitCode(Training.start(config()));
    }

    TrainConfig config() {
        if (fold == null || arch == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "a new run needs --fold and --arch (or --resume --run-dir DIR)");
        }
        var model = ModelRegistry.get(arch);
        boolean fromScratch = pretrained == null;
        double[] ratios = lrRatios != null ? lrRatios : fromScratch ? new double[] {1, 1, 1} : new double[] {0.1, 0.3, 1};
        if (ratios.length != 3) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lr-ratios needs 3 values, got "
                    + Arrays.toString(ratios));
        }
        if (validEvery <= 0 || validEvery > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--valid-every must be in (0, 1], got "
                    + validEvery);
        }
        return new TrainConfig(data, folds != null ? folds : data.resolve("folds.csv"), fold, arch,
                size != null ? size : model.imageSize(), batchSize, epochs,
                headEpochs != null ? headEpochs : fromScratch ? 0 : 1, lr, ratios, weightDecay, warmup,
                schedule, freezeStages, loss, mixup, clipNorm, validEvery, earlyStop,
                pretrained, prefixMap, runDir != null ? runDir : Path.of("runs", arch + "-fold" + fold), seed, workers,
                maxLabels, stepsPerEpoch);
    }

    private static int exitCode(Training.Outcome outcome) {
        return outcome.interrupted() ? 130 : Main.EXIT_OK;
    }

    /** Completion candidates and help text: the registry's architectures. */
    static final class ArchNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelRegistry.names().iterator();
        }
    }
}
