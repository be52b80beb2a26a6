package dev.imet.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imet.common.InputSpec;
import dev.imet.inference.Loss;
import dev.imet.inference.LossKind;
import dev.imet.inference.Losses;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a training run needs, resolved once from the options and the architecture's defaults and never
 * changed afterwards; written next to the run's outputs as {@code config.json} ({@link RunConfigFile}). Every
 * JSON key is named here explicitly, so renaming a Java name does not change the file.
 */
public record TrainConfig(
        @JsonProperty("data") Data data,
        @JsonProperty("network") Network network,
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("schedule") Schedule schedule,
        @JsonProperty("objective") Objective objective,
        @JsonProperty("loop") Loop loop,
        @JsonProperty("execution") Execution execution,
        @JsonProperty("run_dir") Path runDir) {

    /** Number of learning-rate groups (stem..layer3a, layer3b..layer4, head). */
    public static final int LR_GROUPS = 3;

    public TrainConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(runDir, "run_dir");
    }

    /** This configuration with {@code network} in place of its own. */
    public TrainConfig withNetwork(Network network) {
        return new TrainConfig(data, network, optimizer, schedule, objective, loop, execution, runDir);
    }

    /** This configuration with {@code execution} (auto resolved) in place of its own. */
    public TrainConfig withExecution(Execution execution) {
        return new TrainConfig(data, network, optimizer, schedule, objective, loop, execution, runDir);
    }

    /**
     * How the network runs: the precision (fp32, bf16), the memory format of its input (channels-last, contiguous)
     * and how training runs its small convolutions (direct, matmul), by the names of {@code --precision},
     * {@code --memory-format} and {@code --small-convolutions}, and why they were chosen. "auto" only until the run
     * starts: the file holds what the run used, so a resumed run continues the same way.
     */
    public record Execution(
            @JsonProperty("precision") String precision,
            @JsonProperty("memory_format") String memoryFormat,
            @JsonProperty("small_convolutions") String smallConvolutions,
            @JsonProperty("chosen") String chosen) {
        public Execution {
            Objects.requireNonNull(precision, "execution.precision");
            Objects.requireNonNull(memoryFormat, "execution.memory_format");
            Objects.requireNonNull(smallConvolutions, "execution.small_convolutions");
            Objects.requireNonNull(chosen, "execution.chosen");
        }
    }

    /**
     * Which images: the data folder, its folds file, the fold watched (all others are trained on), and the most
     * pixels an image may declare (larger ones are refused before they are decoded).
     */
    public record Data(
            @JsonProperty("dir") Path dir,
            @JsonProperty("folds") Path folds,
            @JsonProperty("fold") int fold,
            @JsonProperty("max_image_pixels") long maxImagePixels) {
        public Data {
            Objects.requireNonNull(dir, "data.dir");
            Objects.requireNonNull(folds, "data.folds");
            if (fold < 0) {
                throw new IllegalArgumentException("the fold must be 0 or more, got " + fold);
            }
        }
    }

    /**
     * The network: architecture, its input, and the weights it starts from (null: from scratch), which must fit
     * the network unless {@code pretrainedPartial} allows loading only what fits; {@code headBias}, the value the
     * classifier's biases start from (null: PyTorch's uniform initialisation; files written before it existed
     * read as null, which is what those runs did), and {@code headBiasPrior}, whether that value is the logit of
     * the training folds' mean label frequency ({@code --head-bias prior}; null only until the run computes it).
     * Pretrained weights that include the classifier replace it.
     */
    public record Network(
            @JsonProperty("arch") String arch,
            @JsonProperty("input") InputSpec input,
            @JsonProperty("pretrained") Path pretrained,
            @JsonProperty("prefix_map") String prefixMap,
            @JsonProperty("pretrained_partial") boolean pretrainedPartial,
            @JsonProperty("head_bias") Double headBias,
            @JsonProperty("head_bias_prior") boolean headBiasPrior) {
        public Network {
            Objects.requireNonNull(arch, "network.arch");
            Objects.requireNonNull(input, "network.input");
            if (headBias != null && !Double.isFinite(headBias)) {
                throw new IllegalArgumentException("--head-bias must be a finite number, prior or none, got "
                        + headBias);
            }
        }

        /** A network whose head starts from {@code headBias} as given (not from the prior). */
        public Network(String arch, InputSpec input, Path pretrained, String prefixMap, boolean pretrainedPartial,
                Double headBias) {
            this(arch, input, pretrained, prefixMap, pretrainedPartial, headBias, false);
        }

        /** This network with the prior's logit computed: {@code --head-bias prior} resolved. */
        public Network withPriorHeadBias(double logit) {
            return new Network(arch, input, pretrained, prefixMap, pretrainedPartial, logit, true);
        }
    }

    /**
     * AdamW: the head's rate, each group's rate over it, decoupled weight decay and gradient-norm clipping; and the
     * exponential moving average of the weights that the checks, the best model and so the predictions use
     * ({@code emaDecay} 0: none, the weights as trained), its decay warmed up over the first steps when
     * {@code emaWarmup}.
     */
    public record Optimizer(
            @JsonProperty("lr") double lr,
            @JsonProperty("lr_ratios") double[] lrRatios,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("clip_norm") double clipNorm,
            @JsonProperty("ema_decay") double emaDecay,
            @JsonProperty("ema_warmup") boolean emaWarmup) {
        public Optimizer {
            if (lrRatios == null || lrRatios.length != LR_GROUPS) {
                throw new IllegalArgumentException("--lr-ratios needs " + LR_GROUPS + " values, got "
                        + Arrays.toString(lrRatios));
            }
            if (!(lr > 0)) {
                throw new IllegalArgumentException("--lr must be positive, got " + lr);
            }
            if (!(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("--ema must be in [0, 1), got " + emaDecay);
            }
            lrRatios = lrRatios.clone();
        }

        /** Without a moving average of the weights. */
        public Optimizer(double lr, double[] lrRatios, double weightDecay, double clipNorm) {
            this(lr, lrRatios, weightDecay, clipNorm, 0, true);
        }

        @Override
        public double[] lrRatios() {
            return lrRatios.clone();
        }

        /** The learning rate of a parameter group at full schedule factor. */
        public double groupLr(int group) {
            return lr * lrRatios[group];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Optimizer other && lr == other.lr && Arrays.equals(lrRatios, other.lrRatios)
                    && weightDecay == other.weightDecay && clipNorm == other.clipNorm && emaDecay == other.emaDecay
                    && emaWarmup == other.emaWarmup;
        }

        @Override
        public int hashCode() {
            return Objects.hash(lr, Arrays.hashCode(lrRatios), weightDecay, clipNorm, emaDecay, emaWarmup);
        }

        @Override
        public String toString() {
            return "Optimizer[lr=" + lr + ", lrRatios=" + Arrays.toString(lrRatios) + ", weightDecay=" + weightDecay
                    + ", clipNorm=" + clipNorm + ", emaDecay=" + emaDecay + ", emaWarmup=" + emaWarmup + "]";
        }
    }

    /**
     * The two stages in epochs: stage 1 trains the head only for {@code headEpochs}; stage 2 everything but the
     * first {@code freezeStages} stages, warming up over {@code warmupFraction} of its steps, then decaying.
     */
    public record Schedule(
            @JsonProperty("epochs") int epochs,
            @JsonProperty("head_epochs") int headEpochs,
            @JsonProperty("warmup_fraction") double warmupFraction,
            @JsonProperty("decay") Decay decay,
            @JsonProperty("freeze_stages") int freezeStages) {
        public Schedule {
            Objects.requireNonNull(decay, "schedule.decay");
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            }
            if (headEpochs < 0 || warmupFraction < 0 || warmupFraction > 1 || freezeStages < 0) {
                throw new IllegalArgumentException("--head-epochs and --freeze-stages must be 0 or more and --warmup"
                        + " in [0, 1], got " + headEpochs + ", " + freezeStages + ", " + warmupFraction);
            }
        }
    }

    /** How the rate decays after warm-up in stage 2. */
    public enum Decay {
        TRIANGULAR,
        COSINE
    }

    /**
     * What the network is trained to minimise: the loss, on mixup-blended batches in stage 2 (0: no mixup), and
     * the asymmetric loss's parameters (null unless the loss is asl).
     */
    public record Objective(
            @JsonProperty("loss") LossKind loss,
            @JsonProperty("mixup_alpha") double mixupAlpha,
            @JsonProperty("asl") Losses.Asymmetric asl) {
        public Objective {
            Objects.requireNonNull(loss, "objective.loss");
            if (mixupAlpha < 0) {
                throw new IllegalArgumentException("--mixup must be 0 or more, got " + mixupAlpha);
            }
            asl = new Loss(loss, asl).asymmetric();
        }

        /** The loss with its default parameters. */
        public Objective(LossKind loss, double mixupAlpha) {
            this(loss, mixupAlpha, null);
        }

        /** The loss as the training step and the checks compute it. */
        public Loss lossFunction() {
            return new Loss(loss, asl);
        }
    }

    /**
     * The loop: batch size, checks every {@code validEvery} epochs, early stopping after {@code earlyStop} checks
     * without a better F2 (0: never), the binarisation of the checks, data-loading threads, an optional cap on the
     * steps of an epoch (0: none) and the seed every random choice derives from.
     */
    public record Loop(
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("valid_every") double validEvery,
            @JsonProperty("early_stop") int earlyStop,
            @JsonProperty("max_labels") int maxLabels,
            @JsonProperty("workers") int workers,
            @JsonProperty("steps_per_epoch_limit") long stepsPerEpochLimit,
            @JsonProperty("seed") long seed) {
        public Loop {
            if (batchSize < 1 || workers < 1 || maxLabels < 1 || earlyStop < 0 || stepsPerEpochLimit < 0) {
                throw new IllegalArgumentException("--batch-size, --workers and --max-labels must be at least 1,"
                        + " --early-stop and --steps-per-epoch 0 or more");
            }
            if (!(validEvery > 0 && validEvery <= 1)) {
                throw new IllegalArgumentException("--valid-every must be in (0, 1], got " + validEvery);
            }
        }
    }
}
