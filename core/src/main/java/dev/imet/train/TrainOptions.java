package dev.imet.train;

import dev.imet.common.InputSpec;
import dev.imet.common.UsageException;
import dev.imet.data.ImageFiles;
import dev.imet.inference.LossKind;
import dev.imet.inference.Losses;
import dev.imet.model.Execution;
import dev.imet.model.ModelRegistry;
import dev.imet.model.ModelSpec;
import dev.imet.run.TrainConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the user asked of {@code train}, option by option, null where an option was not given. {@link #resolve()}
 * turns it into the run's {@link TrainConfig}, filling in the defaults (the constants here, and those that depend
 * on the architecture or on {@code --pretrained}) in this one place. Fields are named as the options are
 * ({@code batchSize} is {@code --batch-size}), which {@link #given()} relies on.
 */
public final class TrainOptions {
    public static final String DATA = "data";
    public static final int BATCH_SIZE = 32;
    public static final int EPOCHS = 10;
    public static final double LR = 1e-3;
    // 0.05 and no mixup: 0.6157 against 0.6043 (1e-4, mixup 0.2) on OpenMoji, 3 seeds each (docs/learning.md)
    public static final double WEIGHT_DECAY = 0.05;
    public static final double WARMUP = 0.1;
    public static final String SCHEDULE = "triangular";
    public static final int FREEZE_STAGES = 0;
    public static final String LOSS = "asl";
    public static final double MIXUP = 0;
    public static final double CLIP_NORM = 10;
    public static final double EMA = 0;
    public static final boolean EMA_WARMUP = true;
    public static final double VALID_EVERY = 0.5;
    public static final int EARLY_STOP = 4;
    public static final int MAX_LABELS = 10;
    public static final long SEED = 42;
    public static final int WORKERS = 2;
    public static final long STEPS_PER_EPOCH = 0;
    // the prior's logit: 0.6207 against 0.6157 (PyTorch's initialisation) and 0.6182 (-4), 3 seeds each, every
    // seed above both (docs/learning.md)
    public static final String HEAD_BIAS = "prior";
    private static final double[] LR_RATIOS_PRETRAINED = {0.1, 0.3, 1};
    private static final double[] LR_RATIOS_SCRATCH = {1, 1, 1};

    public Path data;
    public Path folds;
    public Integer fold;
    public String arch;
    public Integer size;
    public Integer batchSize;
    public Integer epochs;
    public Integer headEpochs;
    public Double lr;
    public double[] lrRatios;
    public Double weightDecay;
    public Double warmup;
    public TrainConfig.Decay schedule;
    public Integer freezeStages;
    public LossKind loss;
    public Double aslGammaPos;
    public Double aslGammaNeg;
    public Double aslClip;
    public Double mixup;
    public Double clipNorm;
    public Double ema;
    public Boolean emaWarmup;
    public Double validEvery;
    public Integer earlyStop;
    public Integer maxLabels;
    public Path pretrained;
    public String prefixMap;
    public Boolean pretrainedPartial;
    /** The classifier's initial bias (--head-bias); null: {@link #HEAD_BIAS}. */
    public HeadBiasChoice headBias;
    public Path runDir;
    public Long seed;
    public Integer workers;
    public Long stepsPerEpoch;
    public Long maxImagePixels;
    public String precision;
    public String memoryFormat;
    public String smallConvolutions;

    /** The run's configuration; a {@link UsageException} when options are missing or do not fit together. */
    public TrainConfig resolve() {
        if (fold == null || arch == null) {
            throw new UsageException("a new run needs --fold and --arch (or --resume --run-dir DIR)");
        }
        if (!ModelRegistry.names().contains(arch)) {
            throw new UsageException("unknown architecture '" + arch + "'; known: "
                    + String.join(", ", ModelRegistry.names()));
        }
        ModelSpec spec = ModelRegistry.get(arch);
        boolean fromScratch = pretrained == null;
        Path dataDir = or(data, Path.of(DATA));
        InputSpec input = size == null ? spec.input() : spec.input().withSize(size);
        LossKind lossKind = or(loss, LossKind.valueOf(LOSS.toUpperCase()));
        try {
            return new TrainConfig(
                    new TrainConfig.Data(dataDir, or(folds, dataDir.resolve("folds.csv")), fold,
                            ImageFiles.requirePixelLimit(or(maxImagePixels, ImageFiles.DEFAULT_MAX_PIXELS))),
                    network(arch, input),
                    new TrainConfig.Optimizer(or(lr, LR),
                            or(lrRatios, fromScratch ? LR_RATIOS_SCRATCH : LR_RATIOS_PRETRAINED),
                            or(weightDecay, WEIGHT_DECAY), or(clipNorm, CLIP_NORM), or(ema, EMA),
                            or(emaWarmup, EMA_WARMUP)),
                    new TrainConfig.Schedule(or(epochs, EPOCHS), or(headEpochs, fromScratch ? 0 : 1),
                            or(warmup, WARMUP), or(schedule, TrainConfig.Decay.valueOf(SCHEDULE.toUpperCase())),
                            or(freezeStages, FREEZE_STAGES)),
                    new TrainConfig.Objective(lossKind, or(mixup, MIXUP), asymmetric(lossKind)),
                    new TrainConfig.Loop(or(batchSize, BATCH_SIZE), or(validEvery, VALID_EVERY),
                            or(earlyStop, EARLY_STOP), or(maxLabels, MAX_LABELS), or(workers, WORKERS),
                            or(stepsPerEpoch, STEPS_PER_EPOCH), or(seed, SEED)),
                    execution(),
                    or(runDir, Path.of("runs", arch + "-fold" + fold)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private TrainConfig.Network network(String arch, InputSpec input) {
        HeadBiasChoice bias = or(headBias, HeadBiasChoice.parse(HEAD_BIAS));
        return new TrainConfig.Network(arch, input, pretrained, prefixMap, or(pretrainedPartial, false),
                bias.logit(), bias.prior());
    }

    /**
     * Where the classifier's biases start: PyTorch's initialisation ({@code none}), the logit of the training
     * folds' mean label frequency ({@code prior}, computed when the run starts), or a given logit.
     */
    public record HeadBiasChoice(boolean prior, Double logit) {
        public static final HeadBiasChoice NONE = new HeadBiasChoice(false, null);
        public static final HeadBiasChoice PRIOR = new HeadBiasChoice(true, null);

        public HeadBiasChoice {
            if (prior && logit != null) {
                throw new IllegalArgumentException("the prior's logit is computed, not given");
            }
        }

        /** none, prior or a finite number; {@link IllegalArgumentException} naming the value otherwise. */
        public static HeadBiasChoice parse(String value) {
            if (value.equalsIgnoreCase("none")) {
                return NONE;
            }
            if (value.equalsIgnoreCase("prior")) {
                return PRIOR;
            }
            try {
                double logit = Double.parseDouble(value);
                if (Double.isFinite(logit)) {
                    return new HeadBiasChoice(false, logit);
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("'" + value + "' is neither a number nor prior nor none");
        }
    }

    /**
     * --precision, --memory-format and --small-convolutions as asked (auto by default), checked; {@link Training}
     * resolves auto.
     */
    private TrainConfig.Execution execution() {
        Execution.Request request = Execution.Request.parse(or(precision, Execution.AUTO),
                or(memoryFormat, Execution.AUTO), or(smallConvolutions, Execution.AUTO));
        return new TrainConfig.Execution(request.precisionLabel(), request.memoryFormatLabel(),
                request.smallConvolutionsLabel(), "given");
    }

    /** The asymmetric loss's parameters, the defaults where not given; null for another loss. */
    private Losses.Asymmetric asymmetric(LossKind lossKind) {
        if (lossKind != LossKind.ASL) {
            if (aslGammaPos != null || aslGammaNeg != null || aslClip != null) {
                throw new UsageException("--asl-gamma-pos, --asl-gamma-neg and --asl-clip apply to --loss asl only");
            }
            return null;
        }
        Losses.Asymmetric d = Losses.Asymmetric.DEFAULT;
        return new Losses.Asymmetric(or(aslGammaPos, d.gammaPos()), or(aslGammaNeg, d.gammaNeg()), or(aslClip, d.clip()));
    }

    /** The options that were given, as typed on the command line ({@code --batch-size}). */
    public List<String> given() {
        List<String> names = new ArrayList<>();
        for (Field f : TrainOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                if (f.get(this) != null) {
                    names.add("--" + f.getName().replaceAll("([A-Z])", "-$1").toLowerCase());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
