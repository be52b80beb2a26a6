package dev.imet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.imet.common.InputException;
import dev.imet.common.ResidentMemory;
import dev.imet.data.Batch;
import dev.imet.data.BatchLoader;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageItem;
import dev.imet.data.ImageTransform;
import dev.imet.data.LabelSet;
import dev.imet.eval.ThresholdSearch;
import dev.imet.predict.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: batches in, optimiser steps, a validation check every so often, listeners for everything
 * else. Each step runs in its own {@link NDManager} scope, closed after the step, so native memory stays flat.
 * Randomness is derived from (seed, epoch, index) for the data and (seed, step) for mixup, so a resumed run
 * draws what the uninterrupted run would have drawn.
 */
public final class TrainingLoop {
    private final TrainConfig config;
    private final Block block;
    private final Map<String, Parameter> parameters;
    private final AdamW optimizer;
    private final List<ImageItem> trainItems;
    private final List<ImageItem> validItems;
    private final LabelSet labels;
    private final ImageTransform trainTransform;
    private final Predictor validator;
    private final DecodedImageCache cache;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final RunState state;
    private final LrSchedule schedule;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private final TrainStep step;
    private volatile boolean stopRequested;
    private Boolean headOnly;
    private double trainLossSum;
    private long trainLossCount;
    private long imagesSinceCheck;
    private long nanosSinceCheck;

    public TrainingLoop(TrainConfig config, Block block, Map<String, Parameter> parameters, AdamW optimizer,
            NDManager manager, List<ImageItem> trainItems, List<ImageItem> validItems, LabelSet labels,
            ImageTransform trainTransform, Predictor validator, DecodedImageCache cache, RunState state) {
        this.config = config;
        this.block = block;
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.trainItems = trainItems;
        this.validItems = validItems;
        this.labels = labels;
        this.trainTransform = trainTransform;
        this.validator = validator;
        this.cache = cache;
        this.state = state;
        this.stepsPerEpoch = stepsPerEpoch(trainItems.size(), config);
        this.totalSteps = stepsPerEpoch * config.epochs();
        long stage1 = stepsPerEpoch * Math.min(config.headEpochs(), config.epochs());
        this.schedule = new LrSchedule(stage1, totalSteps - stage1, config.warmupFraction(), config.schedule());
        this.step = new TrainStep(block, optimizer, manager, config.loss(), config.clipNorm());
    }

    static long stepsPerEpoch(int trainSize, TrainConfig config) {
        long full = trainSize / config.batchSize();
        if (full == 0) {
            throw new InputException("the training folds hold " + trainSize
                    + " images, fewer than one batch of " + config.batchSize() + ": lower --batch-size");
        }
        return config.limitStepsPerEpoch() > 0 ? Math.min(full, config.limitStepsPerEpoch()) : full;
    }

    public TrainingLoop addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public RunState state() {
        return state;
    }

    public TrainConfig config() {
        return config;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public Block block() {
        return block;
    }

    public Map<String, Parameter> parameters() {
        return parameters;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Asks the loop to stop after the current step (Ctrl+C); listeners then see {@code onEnd(interrupted)}. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Runs until the last step, early stopping or a stop request. */
    public void run() {
        boolean interrupted = false;
        Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + state.step));
        while (state.step < totalSteps && state.stopReason == null && !interrupted) {
            int epoch = (int) (state.step / stepsPerEpoch);
            int first = (int) (state.step % stepsPerEpoch);
            try (BatchLoader loader = new BatchLoader(trainItems, labels.size(), config.batchSize(), trainTransform,
                    true, true, config.seed(), epoch, config.workers(), 3, cache, true)) {
                for (var batches = loader.iterator(first); batches.hasNext(); ) {
                    long waitStarted = System.nanoTime();
                    Batch batch = batches.next();
                    trainStep(batch, waitStarted);
                    loader.recycle(batch);
                    if (isCheckStep(state.step)) {
                        check();
                    }
                    if (stopRequested) {
                        interrupted = true;
                    }
                    if (interrupted || state.stopReason != null || state.step % stepsPerEpoch == 0) {
                        break;
                    }
                }
            }
        }
        for (TrainingListener l : listeners) {
            l.onEnd(this, interrupted);
        }
    }

    /** One step; {@code started} is when the loop began waiting for the batch, so images/s include any data stall. */
    private void trainStep(Batch batch, long started) {
        boolean stage1 = schedule.inStage1(state.step);
        if (headOnly == null || headOnly != stage1) {
            applyFreezing(stage1);
        }
        double factor = schedule.factor(state.step);
        double[] lrs = new double[ParamGroups.COUNT];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = config.groupLr(g) * factor;
        }
        int n = batch.count();
        float[] images = batch.images();
        float[] targets = batch.targets();
        if (config.mixupAlpha() > 0 && !stage1) {
            Mixup.apply(images, targets, n, new SplittableRandom(config.seed() * 1_000_003L + state.step), config.mixupAlpha());
        }
        double loss = step.run(images, targets, n, config.imageSize(), labels.size(), lrs);
        if (!Double.isFinite(loss)) {
            // stop before a checkpoint can hold the broken weights: the last one stays resumable
            throw new InputException("training diverged: the loss is " + loss + " at step " + (state.step + 1)
                    + "; lower --lr (now " + config.lr() + ") and start again, or --resume from the last checkpoint");
        }
        state.step++;
        long nanos = System.nanoTime() - started;
        trainLossSum += loss;
        trainLossCount++;
        imagesSinceCheck += n;
        nanosSinceCheck += nanos;
        var metrics = new TrainingListener.StepMetrics(state.step, totalSteps, state.step / (double) stepsPerEpoch,
                lrs[ParamGroups.HEAD], loss, n / (nanos / 1e9));
        for (TrainingListener l : listeners) {
            l.onStep(this, metrics);
        }
    }

    /**
     * Whether a validation check follows this step: at each multiple of {@code validEvery} epochs within an epoch
     * (half and end of epoch for 0.5), at the end of every epoch, and at the last step.
     */
    boolean isCheckStep(long step) {
        long inEpoch = step % stepsPerEpoch;
        if (inEpoch == 0 || step == totalSteps) {
            return true;
        }
        double interval = stepsPerEpoch * config.validEvery();
        return Math.floor(inEpoch / interval) > Math.floor((inEpoch - 1) / interval);
    }

    /** Stage 1 trains the head only; stage 2 everything but the first {@code --freeze-stages} stages. */
    private void applyFreezing(boolean stage1) {
        parameters.forEach((name, p) -> {
            if (!AdamW.isTrainable(p)) {
                return;
            }
            int stage = ParamGroups.stage(name);
            boolean frozen = stage1 ? stage != 5 : stage < config.freezeStages();
            if (p.requiresGradient() == frozen) {
                p.freeze(frozen);
            }
        });
        headOnly = stage1;
    }

    private void check() {
        Predictor.Output out = validator.predict(validItems, labels.size(), 1, config.seed(), config.loss(), null);
        List<int[]> truth = validItems.stream().map(ImageItem::labels).toList();
        ThresholdSearch.Result best = ThresholdSearch.search(out.probs(), out.rows(), truth, labels, config.maxLabels(), false);
        double threshold = best.thresholds().forGroup(labels.group(0));
        boolean improved = best.f2() > state.bestF2;
        if (improved) {
            state.bestF2 = best.f2();
            state.bestThreshold = threshold;
            state.bestStep = state.step;
            state.checksWithoutImprovement = 0;
        } else {
            state.checksWithoutImprovement++;
        }
        double trainLoss = trainLossCount == 0 ? Double.NaN : trainLossSum / trainLossCount;
        double imagesPerSecond = nanosSinceCheck == 0 ? Double.NaN : imagesSinceCheck / (nanosSinceCheck / 1e9);
        var metrics = new TrainingListener.CheckMetrics(state.step, state.step / (double) stepsPerEpoch,
                config.groupLr(ParamGroups.HEAD) * schedule.factor(Math.max(0, state.step - 1)), trainLoss, out.loss(),
                best.f2(), threshold, imagesPerSecond, ResidentMemory.currentMb(), improved);
        trainLossSum = 0;
        trainLossCount = 0;
        imagesSinceCheck = 0;
        nanosSinceCheck = 0;
        for (TrainingListener l : listeners) {
            l.onCheck(this, metrics);
        }
    }
}
