package dev.imet.cli;

import dev.imet.data.ImageFiles;
import dev.imet.inference.LossKind;
import dev.imet.train.LrFinder;
import dev.imet.train.TrainOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lr-find}: options → {@link TrainOptions} and a {@link LrFinder.Sweep} → {@link LrFinder}. */
@Command(name = "lr-find", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Learning-rate range test: train the network that train would, on the images it would train"
                + " on, for a few hundred steps while the head's rate grows exponentially; plot the loss against the"
                + " rate and suggest --lr (fastai's lr_find). Writes only the plot.")
public final class LrFindCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: " + TrainOptions.DATA + ").")
    Path data;

    @Option(names = "--folds", paramLabel = "FILE", description = "folds.csv (default: DIR/folds.csv).")
    Path folds;

    @Option(names = "--fold", paramLabel = "K", description = "The fold train would watch; the sweep uses all others"
            + " (default: ${DEFAULT-VALUE}).")
    int fold = 0;

    @Option(names = "--arch", required = true, paramLabel = "NAME", description = "Architecture:"
            + " ${COMPLETION-CANDIDATES}.", completionCandidates = ArchNames.class, converter = ArchNames.class)
    String arch;

    @Option(names = "--size", paramLabel = "PX", description = "Input size in pixels (default: the architecture's,"
            + " 320).")
    Integer size;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per step (default: "
            + TrainOptions.BATCH_SIZE + ").")
    Integer batchSize;

    @Option(names = "--lr-ratios", paramLabel = "R,R,R", hideParamSyntax = true, split = ",", description = "Rate of"
            + " each group over the head's: stem..layer3a, layer3b..layer4, head (default: 0.1,0.3,1 with"
            + " --pretrained, 1,1,1 from scratch).")
    double[] lrRatios;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "Decoupled (AdamW) weight decay (default:"
            + " 1e-4).")
    Double weightDecay;

    @Option(names = "--freeze-stages", paramLabel = "N", description = "Keep the first N stages frozen (default: "
            + TrainOptions.FREEZE_STAGES + ").")
    Integer freezeStages;

    @Option(names = "--loss", paramLabel = "LOSS", description = "focal, bce or asl (default: " + TrainOptions.LOSS
            + ").")
    LossKind loss;

    @Option(names = "--asl-gamma-pos", paramLabel = "G", description = "With --loss asl: focusing exponent of the"
            + " positives (default: 0).")
    Double aslGammaPos;

    @Option(names = "--asl-gamma-neg", paramLabel = "G", description = "With --loss asl: focusing exponent of the"
            + " negatives (default: 4).")
    Double aslGammaNeg;

    @Option(names = "--asl-clip", paramLabel = "M", description = "With --loss asl: probability margin (default:"
            + " 0.05).")
    Double aslClip;

    @Option(names = "--mixup", paramLabel = "ALPHA", description = "Mixup alpha; 0 turns it off (default: "
            + TrainOptions.MIXUP + ").")
    Double mixup;

    @Option(names = "--clip-norm", paramLabel = "NORM", description = "Gradient-norm clipping; 0 turns it off"
            + " (default: " + TrainOptions.CLIP_NORM + ").")
    Double clipNorm;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "Initial weights, as train takes them"
            + " (default: none, from scratch).")
    Path pretrained;

    @Option(names = "--prefix-map", paramLabel = "OLD=NEW,...", description = "Rename keys of --pretrained (default:"
            + " none).")
    String prefixMap;

    @Option(names = "--pretrained-partial", description = "Load only the parameters of --pretrained that fit.")
    boolean pretrainedPartial;

    @Option(names = "--head-bias", paramLabel = "LOGIT|prior|none", converter = TrainCommand.HeadBiasConverter.class,
            description = "The classifier's initial biases, as train takes them (default: " + TrainOptions.HEAD_BIAS
            + ").")
    TrainOptions.HeadBiasChoice headBias;

    @Option(names = "--steps", paramLabel = "N", description = "Steps of the sweep (default: ${DEFAULT-VALUE}).")
    int steps = LrFinder.STEPS;

    @Option(names = "--start-lr", paramLabel = "LR", description = "The head's rate at the first step (default:"
            + " ${DEFAULT-VALUE}).")
    double startLr = LrFinder.START_LR;

    @Option(names = "--end-lr", paramLabel = "LR", description = "The head's rate at the last step; the sweep stops"
            + " earlier once the smoothed loss passes 4 times its minimum (default: ${DEFAULT-VALUE}).")
    double endLr = LrFinder.END_LR;

    @Option(names = "--out", paramLabel = "FILE", description = "The plot (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("lr_find.png");

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice (default: "
            + TrainOptions.SEED + ").")
    Long seed;

    @Option(names = "--workers", paramLabel = "N", description = "Image decoding and augmentation threads (default: "
            + TrainOptions.WORKERS + ").")
    Integer workers;

    @Option(names = "--max-image-pixels", paramLabel = "N", description = "Refuse images that declare more pixels,"
            + " before decoding them (default: " + ImageFiles.DEFAULT_MAX_PIXELS + ", as PIL).")
    Long maxImagePixels;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TrainOptions o = new TrainOptions();
        o.data = data;
        o.folds = folds;
        o.fold = fold;
        o.arch = arch;
        o.size = size;
        o.batchSize = batchSize;
        o.lrRatios = lrRatios;
        o.weightDecay = weightDecay;
        o.freezeStages = freezeStages;
        o.loss = loss;
        o.aslGammaPos = aslGammaPos;
        o.aslGammaNeg = aslGammaNeg;
        o.aslClip = aslClip;
        o.mixup = mixup;
        o.clipNorm = clipNorm;
        o.pretrained = pretrained;
        o.prefixMap = prefixMap;
        o.pretrainedPartial = pretrainedPartial ? true : null;
        o.headBias = headBias;
        o.seed = seed;
        o.workers = workers;
        o.maxImagePixels = maxImagePixels;
        LrFinder.Result result = LrFinder.run(o, new LrFinder.Sweep(steps, startLr, endLr, out));

        PrintWriter console = spec.commandLine().getOut();
        var points = result.points();
        console.printf(Locale.ROOT, "%d steps on %d images, head rate %s to %s%s%n", points.size(), result.images(),
                LrFinder.format(points.get(0).lr()), LrFinder.format(points.get(points.size() - 1).lr()),
                result.stopReason() == null ? "" : "; stopped: " + result.stopReason());
        var s = result.suggestion();
        console.printf(Locale.ROOT, "lowest smoothed loss at rate %s; steepest descent at rate %s%n",
                LrFinder.format(s.minimumLr()), s.steepestLr() == null ? "none (the loss never falls)"
                        : LrFinder.format(s.steepestLr()));
        console.printf(Locale.ROOT, "suggested --lr %s (fastai's valley: halfway along the longest fall of the loss)%n",
                LrFinder.format(s.suggestedLr()));
        console.println("wrote " + result.plot());
        console.flush();
        return Main.EXIT_OK;
    }
}
