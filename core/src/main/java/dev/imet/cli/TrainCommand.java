package dev.imet.cli;

import dev.imet.data.ImageFiles;
import dev.imet.inference.LossKind;
import dev.imet.run.TrainConfig;
import dev.imet.train.TrainOptions;
import dev.imet.train.Training;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: options → {@link TrainOptions} → {@link Training}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network on all folds but one, watching that fold. Writes a run folder: config.json,"
                + " metrics.csv, train.log, the best model (model.safetensors + model.json) and a resumable"
                + " checkpoint. Ctrl+C writes a checkpoint before exiting; --resume continues.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: " + TrainOptions.DATA + ").")
    Path data;

    @Option(names = "--folds", paramLabel = "FILE", description = "folds.csv (default: DIR/folds.csv).")
    Path folds;

    @Option(names = "--fold", paramLabel = "K", description = "The fold to watch; training uses all others."
            + " Required for a new run.")
    Integer fold;

    @Option(names = "--arch", paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES}. Required"
            + " for a new run.", completionCandidates = ArchNames.class, converter = ArchNames.class)
    String arch;

    @Option(names = "--size", paramLabel = "PX", description = "Input size in pixels (default: the architecture's,"
            + " 320).")
    Integer size;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per step (default: "
            + TrainOptions.BATCH_SIZE + ").")
    Integer batchSize;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs in all (default: " + TrainOptions.EPOCHS
            + ").")
    Integer epochs;

    @Option(names = "--head-epochs", paramLabel = "N", description = "Stage 1: epochs training only the head"
            + " (default: 1 with --pretrained, 0 from scratch).")
    Integer headEpochs;

    @Option(names = "--lr", paramLabel = "LR", description = "The head's learning rate; the other groups' rates"
            + " scale with it (--lr-ratios) (default: " + TrainOptions.LR + ").")
    Double lr;

    @Option(names = "--lr-ratios", paramLabel = "R,R,R", hideParamSyntax = true, split = ",", description = "Rate of each group over --lr:"
            + " stem..layer3a, layer3b..layer4, head (default: 0.1,0.3,1 with --pretrained, 1,1,1 from scratch).")
    double[] lrRatios;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "Decoupled (AdamW) weight decay of conv and"
            + " linear weights (default: " + TrainOptions.WEIGHT_DECAY + ").")
    Double weightDecay;

    @Option(names = "--warmup", paramLabel = "FRACTION", description = "Fraction of stage 2 spent warming up"
            + " (default: " + TrainOptions.WARMUP + ").")
    Double warmup;

    @Option(names = "--schedule", paramLabel = "SHAPE", description = "Decay after warm-up: triangular or cosine"
            + " (default: " + TrainOptions.SCHEDULE + ").")
    TrainConfig.Decay schedule;

    @Option(names = "--freeze-stages", paramLabel = "N", description = "Keep the first N stages (stem, layer1..4)"
            + " frozen throughout; 3 trains only layer3, layer4 and the head (default: " + TrainOptions.FREEZE_STAGES
            + ").")
    Integer freezeStages;

    @Option(names = "--loss", paramLabel = "LOSS", description = "focal, bce or asl (the asymmetric loss of Ridnik"
            + " et al.) (default: " + TrainOptions.LOSS + ").")
    LossKind loss;

    @Option(names = "--asl-gamma-pos", paramLabel = "G", description = "With --loss asl: focusing exponent of the"
            + " positives (default: 0).")
    Double aslGammaPos;

    @Option(names = "--asl-gamma-neg", paramLabel = "G", description = "With --loss asl: focusing exponent of the"
            + " negatives (default: 4).")
    Double aslGammaNeg;

    @Option(names = "--asl-clip", paramLabel = "M", description = "With --loss asl: probability margin; negatives"
            + " with p below M add nothing (default: 0.05).")
    Double aslClip;

    @Option(names = "--mixup", paramLabel = "ALPHA", description = "Mixup alpha in stage 2, e.g. 0.2 (the"
            + " original's); 0 turns it off (default: " + TrainOptions.MIXUP + ").")
    Double mixup;

    @Option(names = "--clip-norm", paramLabel = "NORM", description = "Gradient-norm clipping; 0 turns it off"
            + " (default: " + TrainOptions.CLIP_NORM + ").")
    Double clipNorm;

    @Option(names = "--head-bias", paramLabel = "LOGIT|prior|none", converter = HeadBiasConverter.class,
            description = "Start the classifier's biases at this logit (-4: a probability of 0.018 for every label,"
            + " as RetinaNet's prior); prior: the logit of the training folds' mean label frequency; none keeps"
            + " PyTorch's uniform initialisation. Pretrained weights that include the classifier replace it"
            + " (default: " + TrainOptions.HEAD_BIAS + ").")
    TrainOptions.HeadBiasChoice headBias;

    @Option(names = "--ema", paramLabel = "DECAY", description = "Keep an exponential moving average of the"
            + " weights with this decay per step (e.g. 0.999); the checks, the best model and so the predictions use"
            + " it; 0 turns it off (default: 0).")
    Double ema;

    @Option(names = "--ema-warmup", negatable = true, fallbackValue = "true", description = "Warm the average's"
            + " decay up as min(DECAY, (1 + step) / (10 + step)), so that it forgets the initial weights within a"
            + " short run (default: on; --no-ema-warmup: DECAY from the first step, as timm's ModelEmaV2).")
    Boolean emaWarmup;

    @Option(names = "--valid-every", paramLabel = "EPOCHS", description = "Validation check every this many epochs,"
            + " in (0, 1] (default: " + TrainOptions.VALID_EVERY + ").")
    Double validEvery;

    @Option(names = "--early-stop", paramLabel = "N", description = "Stop after N checks without a better F2; 0"
            + " never stops early (default: " + TrainOptions.EARLY_STOP + ").")
    Integer earlyStop;

    @Option(names = "--max-labels", paramLabel = "N", description = "Binarisation rule used for the F2 checks"
            + " (default: " + TrainOptions.MAX_LABELS + ").")
    Integer maxLabels;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "Initial weights: .safetensors, .npz, .pth or"
            + " .pt state dict (default: none, from scratch).")
    Path pretrained;

    @Option(names = "--prefix-map", paramLabel = "OLD=NEW,...", description = "Rename keys of --pretrained, e.g."
            + " module.= (default: none).")
    String prefixMap;

    @Option(names = "--pretrained-partial", description = "Load only the parameters of --pretrained that fit the"
            + " network (by name and shape); without it a file that does not fit is refused.")
    boolean pretrainedPartial;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default: runs/ARCH-foldK).")
    Path runDir;

    @Option(names = "--resume", description = "Continue the run in --run-dir from its last checkpoint, with its"
            + " stored configuration.")
    boolean resume;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice (default: "
            + TrainOptions.SEED + ").")
    Long seed;

    @Option(names = "--workers", paramLabel = "N", description = "Image decoding and augmentation threads (default: "
            + TrainOptions.WORKERS + ").")
    Integer workers;

    @Option(names = "--steps-per-epoch", paramLabel = "N", description = "Cap on the steps of an epoch (0: all"
            + " batches); for quick trials (default: " + TrainOptions.STEPS_PER_EPOCH + ").")
    Long stepsPerEpoch;

    @Option(names = "--max-image-pixels", paramLabel = "N", description = "Refuse images that declare more pixels,"
            + " before decoding them (default: " + ImageFiles.DEFAULT_MAX_PIXELS + ", as PIL).")
    Long maxImagePixels;

    @Option(names = "--precision", paramLabel = "P", description = "fp32, bf16 (convolutions and matrix products in"
            + " bfloat16; weights, optimiser, batch-norm statistics, loss and files float32), or auto: bf16 where the"
            + " processor has it natively (avx512_bf16, amx_bf16) or on a CUDA device with it, else fp32"
            + " (default: auto).")
    String precision;

    @Option(names = "--memory-format", paramLabel = "FORMAT", description = "Layout of the images in the engine:"
            + " channels-last, contiguous, or auto: the faster for this network, size and batch, measured on a few"
            + " steps before the run (default: auto).")
    String memoryFormat;

    @Option(names = "--small-convolutions", paramLabel = "HOW", description = "How training runs the 3x3"
            + " convolutions whose output is at most 2x2 (the last stage at 64 px): direct (the engine's"
            + " convolution), matmul (unfolded into one matrix product), or auto: the faster, measured on a few steps"
            + " before the run (default: auto).")
    String smallConvolutions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TrainOptions options = options();
        Training.Outcome outcome;
        if (resume) {
            if (runDir == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--resume needs --run-dir: the run folder to continue");
            }
            outcome = Training.resume(runDir, options.given().stream().filter(o -> !o.equals("--run-dir")).toList());
        } else {
            outcome = Training.start(options);
        }
        return outcome.interrupted() ? EXIT_INTERRUPTED : Main.EXIT_OK;
    }

    /** Exit code of a run stopped by Ctrl+C, as a shell reports a process ended by SIGINT. */
    static final int EXIT_INTERRUPTED = 130;

    TrainOptions options() {
        TrainOptions o = new TrainOptions();
        o.data = data;
        o.folds = folds;
        o.fold = fold;
        o.arch = arch;
        o.size = size;
        o.batchSize = batchSize;
        o.epochs = epochs;
        o.headEpochs = headEpochs;
        o.lr = lr;
        o.lrRatios = lrRatios;
        o.weightDecay = weightDecay;
        o.warmup = warmup;
        o.schedule = schedule;
        o.freezeStages = freezeStages;
        o.loss = loss;
        o.aslGammaPos = aslGammaPos;
        o.aslGammaNeg = aslGammaNeg;
        o.aslClip = aslClip;
        o.mixup = mixup;
        o.clipNorm = clipNorm;
        o.ema = ema;
        o.emaWarmup = emaWarmup;
        o.validEvery = validEvery;
        o.earlyStop = earlyStop;
        o.maxLabels = maxLabels;
        o.pretrained = pretrained;
        o.prefixMap = prefixMap;
        o.pretrainedPartial = pretrainedPartial ? true : null;
        o.headBias = headBias;
        o.runDir = runDir;
        o.seed = seed;
        o.workers = workers;
        o.stepsPerEpoch = stepsPerEpoch;
        o.maxImagePixels = maxImagePixels;
        o.precision = precision;
        o.memoryFormat = memoryFormat;
        o.smallConvolutions = smallConvolutions;
        return o;
    }

    /** {@code --head-bias}: a number, prior or none. */
    static final class HeadBiasConverter implements CommandLine.ITypeConverter<TrainOptions.HeadBiasChoice> {
        @Override
        public TrainOptions.HeadBiasChoice convert(String value) {
            try {
                return TrainOptions.HeadBiasChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
