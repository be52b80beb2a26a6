package dev.imet.train;

import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import dev.imet.common.InputException;
import dev.imet.common.ResidentMemory;
import dev.imet.common.Seeds;
import dev.imet.data.Batch;
import dev.imet.data.BatchLoader;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageItem;
import dev.imet.data.ImageTransform;
import dev.imet.data.LabelSet;
import dev.imet.data.Transforms;
import dev.imet.data.FoldSplit;
import dev.imet.inference.Predictor;
import dev.imet.inference.Validation;
import dev.imet.run.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: batches in, optimiser steps, a validation check every so often, listeners for everything
 * else. Each step runs in its own engine scope ({@link TrainStep}), so native memory stays flat. Randomness is
 * derived from (seed, epoch, index) for the data and (seed, step) for mixup, so a resumed run draws what the
 * uninterrupted run would have drawn.
 */
public final class TrainingLoop implements TrainingListener.TrainingContext {
    /** The reason given when the loop is asked to stop by Ctrl+C: the one stop a resumed run continues from. */
    static final String INTERRUPTED = "interrupted";

    /**
     * Where the loop stands, all a checkpoint needs of it: the steps done and the training loss summed since the
     * last check (so that a run resumed between two checks reports the train loss the uninterrupted run would).
     */
    public record Progress(long steps, double trainLossSum, long trainLossCount) {
        public static final Progress START = new Progress(0, 0, 0);
    }

    private final TrainConfig config;
    private final TrainStep step;
    private final Map<String, Parameter> parameters;
    private final List<ImageItem> trainItems;
    private final List<ImageItem> validItems;
    private final LabelSet labels;
    private final ImageTransform trainTransform;
    private final Predictor validator;
    private final Validation.Options validation;
    private final DecodedImageCache cache;
    private final EarlyStopping earlyStopping;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final LrSchedule schedule;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private long stepsDone;
    private volatile String stopRequest;
    private Boolean headOnly;
    private double trainLossSum;
    private long trainLossCount;
    private long imagesSinceCheck;
    private long nanosSinceCheck;

    /**
     * @param start where a resumed run stands ({@link Progress#START} for a new run)
     * @param cache decoded images shared by the training passes and the validator
     */
    public TrainingLoop(TrainConfig config, TrainStep step, Map<String, Parameter> parameters, FoldSplit split,
            LabelSet labels, Predictor validator, DecodedImageCache cache, EarlyStopping earlyStopping, Progress start) {
        this.config = config;
        this.step = step;
        this.parameters = parameters;
        this.trainItems = split.train();
        this.validItems = split.valid();
        this.labels = labels;
        this.trainTransform = Transforms.train(config.network().input());
        this.validator = validator;
        this.validation = new Validation.Options(1, config.loop().seed(), config.objective().lossFunction(),
                config.loop().maxLabels(), false);
        this.cache = cache;
        this.earlyStopping = earlyStopping;
        this.stepsDone = start.steps();
        this.trainLossSum = start.trainLossSum();
        this.trainLossCount = start.trainLossCount();
        this.stepsPerEpoch = stepsPerEpoch(trainItems.size(), config.loop());
        this.totalSteps = stepsPerEpoch * config.schedule().epochs();
        long stage1 = stepsPerEpoch * Math.min(config.schedule().headEpochs(), config.schedule().epochs());
        this.schedule = new LrSchedule(stage1, totalSteps - stage1, config.schedule().warmupFraction(),
                config.schedule().decay());
    }

    static long stepsPerEpoch(int trainSize, TrainConfig.Loop loop) {
        long full = trainSize / loop.batchSize();
        if (full == 0) {
            throw new InputException("the training folds hold " + trainSize
                    + " images, fewer than one batch of " + loop.batchSize() + ": lower --batch-size");
        }
        return loop.stepsPerEpochLimit() > 0 ? Math.min(full, loop.stepsPerEpochLimit()) : full;
    }

    public TrainingLoop addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public long step() {
        return stepsDone;
    }

    @Override
    public long totalSteps() {
        return totalSteps;
    }

    @Override
    public Progress progress() {
        return new Progress(stepsDone, trainLossSum, trainLossCount);
    }

    @Override
    public void requestStop(String reason) {
        if (stopRequest == null) {
            stopRequest = reason;
        }
    }

    /** Ctrl+C: stop after the current step; the run can be resumed. */
    public void interrupt() {
        requestStop(INTERRUPTED);
    }

    /** Runs until the last step, early stopping or a stop request; returns how it ended. */
    public TrainingListener.Ending run() {
        if (earlyStopping.stopReason() != null) {
            requestStop(earlyStopping.stopReason()); // a run that stopped early stays stopped when resumed
        }
        for (TrainingListener l : listeners) {
            l.onStart(this);
        }
        while (stepsDone < totalSteps && stopRequest == null) {
            runEpoch();
        }
        var ending = new TrainingListener.Ending(progress(), stopRequest, INTERRUPTED.equals(stopRequest));
        for (TrainingListener l : listeners) {
            l.onEnd(this, ending);
        }
        return ending;
    }

    /** The rest of the current epoch, or less when a stop is requested. */
    private void runEpoch() {
        int epoch = (int) (stepsDone / stepsPerEpoch);
        int first = (int) (stepsDone % stepsPerEpoch);
        var options = BatchLoader.Options.training(config.loop().batchSize(), config.loop().seed(), epoch)
                .withWorkers(config.loop().workers()).withCache(cache).withMaxPixels(config.data().maxImagePixels());
        try (BatchLoader loader = new BatchLoader(trainItems, labels.size(), trainTransform, options)) {
            for (var batches = loader.iterator(first); batches.hasNext() && stopRequest == null; ) {
                long waitStarted = System.nanoTime();
                Batch batch = batches.next();
                trainStep(batch, waitStarted);
                loader.recycle(batch);
                if (isCheckStep(stepsDone)) {
                    check();
                }
                if (stepsDone % stepsPerEpoch == 0) {
                    break;
                }
            }
        }
    }

    /** One step; {@code started} is when the loop began waiting for the batch, so images/s include any data stall. */
    private void trainStep(Batch batch, long started) {
        boolean stage1 = schedule.inStage1(stepsDone);
        if (headOnly == null || headOnly != stage1) {
            applyFreezing(stage1);
        }
        double factor = schedule.factor(stepsDone);
        double[] lrs = new double[ParamGroups.COUNT];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = config.optimizer().groupLr(g) * factor;
        }
        double mixup = config.objective().mixupAlpha();
        if (mixup > 0 && !stage1) {
            Mixup.apply(batch.images(), batch.targets(), batch.count(),
                    new SplittableRandom(config.loop().seed() * 1_000_003L + stepsDone), mixup);
        }
        // the engine's generator (dropout) drawn from (seed, step), as everything else, so that a resumed run
        // draws what the uninterrupted one drew
        Engine.getInstance().setRandomSeed(engineSeed(config.loop().seed(), stepsDone));
        double loss = step.run(batch, lrs);
        if (!Double.isFinite(loss)) {
            // stop before a checkpoint can hold the broken weights: the last one stays resumable
            throw new InputException("training diverged: the loss is " + loss + " at step " + (stepsDone + 1)
                    + "; lower --lr (now " + config.optimizer().lr() + ") and start again, or --resume from the last"
                    + " checkpoint");
        }
        stepsDone++;
        long nanos = System.nanoTime() - started;
        trainLossSum += loss;
        trainLossCount++;
        imagesSinceCheck += batch.count();
        nanosSinceCheck += nanos;
        var metrics = new TrainingListener.StepMetrics(stepsDone, totalSteps, stepsDone / (double) stepsPerEpoch,
                lrs[ParamGroups.HEAD], loss, batch.count(), nanos / 1e9);
        for (TrainingListener l : listeners) {
            l.onStep(this, metrics);
        }
    }

    /** The engine's seed for a step: SplitMix64's finaliser over (seed, step), folded to an int. */
    static int engineSeed(long seed, long stepNumber) {
        return Long.hashCode(Seeds.finish(seed * 0x9E3779B97F4A7C15L + stepNumber));
    }

    /**
     * Whether a validation check follows this step: at each multiple of {@code validEvery} epochs within an epoch
     * (half and end of epoch for 0.5), at the end of every epoch, and at the last step.
     */
    boolean isCheckStep(long stepNumber) {
        long inEpoch = stepNumber % stepsPerEpoch;
        if (inEpoch == 0 || stepNumber == totalSteps) {
            return true;
        }
        double interval = stepsPerEpoch * config.loop().validEvery();
        return Math.floor(inEpoch / interval) > Math.floor((inEpoch - 1) / interval);
    }

    /** Stage 1 trains the head only; stage 2 everything but the first {@code --freeze-stages} stages. */
    private void applyFreezing(boolean stage1) {
        parameters.forEach((name, p) -> {
            if (!AdamW.isTrainable(p)) {
                return;
            }
            int stage = ParamGroups.stage(name);
            boolean frozen = stage1 ? stage != ParamGroups.HEAD_STAGE : stage < config.schedule().freezeStages();
            if (p.requiresGradient() == frozen) {
                p.freeze(frozen);
            }
        });
        headOnly = stage1;
    }

    private void check() {
        Validation result = Validation.run(validator, validItems, labels, validation);
        double threshold = result.thresholds().forGroup(labels.group(0));
        boolean improved = earlyStopping.record(stepsDone, result.f2(), threshold);
        double trainLoss = trainLossCount == 0 ? Double.NaN : trainLossSum / trainLossCount;
        double imagesPerSecond = nanosSinceCheck == 0 ? Double.NaN : imagesSinceCheck / (nanosSinceCheck / 1e9);
        double lr = config.optimizer().groupLr(ParamGroups.HEAD) * schedule.factor(Math.max(0, stepsDone - 1));
        var metrics = new TrainingListener.CheckMetrics(stepsDone, stepsDone / (double) stepsPerEpoch, lr, trainLoss,
                result.loss(), result.f2(), threshold, imagesPerSecond, ResidentMemory.currentMb(), improved);
        trainLossSum = 0;
        trainLossCount = 0;
        imagesSinceCheck = 0;
        nanosSinceCheck = 0;
        if (earlyStopping.stopReason() != null) {
            requestStop(earlyStopping.stopReason());
        }
        for (TrainingListener l : listeners) {
            l.onCheck(this, metrics);
        }
    }
}
