package dev.imet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.imet.common.InputException;
import dev.imet.common.InputSpec;
import dev.imet.data.DataFolder;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.FoldSplit;
import dev.imet.model.Execution;
import dev.imet.model.LoadReport;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelInfo;
import dev.imet.model.ModelRegistry;
import dev.imet.model.ModelSpec;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import dev.imet.model.PretrainedWeights;
import dev.imet.model.StateDict;
import dev.imet.run.Provenance;
import dev.imet.run.RunConfigFile;
import dev.imet.run.RunFolder;
import dev.imet.run.TrainConfig;
import dev.imet.inference.ExecutionChooser;
import dev.imet.inference.Predictor;
import dev.imet.inference.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up one training run from its configuration (data, folds, network, optimiser, run folder, listeners) and
 * runs the loop. A resumed run reads its configuration back from the run folder, so it continues exactly the
 * run that was started.
 */
public final class Training {
    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    /** How a run ended: its folder, the steps done, and why it stopped before its last step (null if it did not). */
    public record Outcome(RunFolder run, long steps, String stopReason, boolean interrupted) {}

    private Training() {}

    /** Starts a new run with the configuration the options resolve to, in a run folder that holds none yet. */
    public static Outcome start(TrainOptions options) {
        TrainConfig config = options.resolve();
        RunFolder run = new RunFolder(config.runDir());
        if (Files.exists(run.checkpoint())) {
            throw new InputException(run.dir() + " already holds a training run: use --resume to continue it, or"
                    + " another --run-dir");
        }
        return execute(config, run, false, List.of());
    }

    /**
     * Continues the run in {@code runDir} from its last checkpoint, with the configuration it started with. The
     * run's stored configuration wins over options: {@code ignoredOptions} (as typed) are named in the log.
     */
    public static Outcome resume(Path runDir, List<String> ignoredOptions) {
        RunFolder run = new RunFolder(runDir);
        if (!Files.exists(run.config())
                || !Files.exists(run.checkpoint()) && !Files.exists(run.previousCheckpoint())) {
            throw new InputException(runDir + ": no run to resume (config.json and checkpoint.safetensors are needed)");
        }
        return execute(RunConfigFile.read(run.config()).config(), run, true, ignoredOptions);
    }

    private static Outcome execute(TrainConfig config, RunFolder run, boolean resume, List<String> ignoredOptions) {
        DataFolder data = DataFolder.load(config.data().dir(), config.data().maxImagePixels());
        FoldSplit split = FoldSplit.of(data, config.data().folds(), config.data().fold());
        if (split.train().isEmpty()) {
            throw new InputException(config.data().folds() + ": every image is in fold " + config.data().fold()
                    + ", the validation fold: none is left to train on");
        }
        TrainingLoop.stepsPerEpoch(split.train().size(), config.loop()); // refuses too few images before any work
        ModelSpec spec = ModelRegistry.get(config.network().arch());
        InputSpec input = config.network().input();
        long seed = config.loop().seed();
        int numClasses = data.labels().size();
        config = HeadBias.resolvePrior(config, split.train(), numClasses);
        // auto is measured before the generator is seeded: the measurement draws from it
        config = config.withExecution(resolve(config, spec, numClasses));
        Execution execution = execution(config.execution());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            Block block = spec.buildInitialized(numClasses, input.size(), manager, execution.precision(),
                    execution.smallConvolutions());
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
            if (!resume) {
                HeadBias.apply(parameters, config.network().headBias());
            }
            // everything that can refuse the run does so before its folder is touched
            LoadReport pretrained = resume ? null : loadPretrained(config.network(), block);
            DiskSpace.requireRoom(run, StateDict.parameterCount(block), config.optimizer().emaDecay() > 0);
            createFolder(run);
            FileAppender<ILoggingEvent> logFile = attachLogFile(run.log());
            try {
                return train(config, run, resume, ignoredOptions, data, split, block, parameters, pretrained, manager);
            } finally {
                detachLogFile(logFile);
            }
        }
    }

    /** The configuration's execution with auto resolved for its network, size and batch (training steps). */
    static TrainConfig.Execution resolve(TrainConfig config, ModelSpec spec, int numClasses) {
        TrainConfig.Execution asked = config.execution();
        if (!asked.precision().equals(Execution.AUTO) && !asked.memoryFormat().equals(Execution.AUTO)
                && !asked.smallConvolutions().equals(Execution.AUTO)) {
            return asked;
        }
        Execution chosen = ExecutionChooser.choose(
                Execution.Request.parse(asked.precision(), asked.memoryFormat(), asked.smallConvolutions()), spec,
                numClasses, config.network().input().size(), config.loop().batchSize(),
                TrainStep.workload(config.objective().lossFunction(), config.optimizer().clipNorm(),
                        config.optimizer().weightDecay()));
        return new TrainConfig.Execution(chosen.precision().label(), chosen.memoryFormat().label(),
                chosen.smallConvolutions().label(), chosen.chosen());
    }

    /** The stored execution as the model package's values; a config.json with others is refused naming the key. */
    static Execution execution(TrainConfig.Execution stored) {
        try {
            return new Execution(Precision.ofLabel(stored.precision()), MemoryFormat.ofLabel(stored.memoryFormat()),
                    SmallConvolutions.ofLabel(stored.smallConvolutions()), stored.chosen());
        } catch (IllegalArgumentException e) {
            throw new InputException("config.json: key 'config.execution': " + e.getMessage());
        }
    }

    static LoadReport loadPretrained(TrainConfig.Network network, Block block) {
        if (network.pretrained() == null) {
            return null;
        }
        return network.pretrainedPartial()
                ? PretrainedWeights.loadPartial(network.pretrained(), block, network.prefixMap())
                : PretrainedWeights.load(network.pretrained(), block, network.prefixMap());
    }

    private static Outcome train(TrainConfig config, RunFolder run, boolean resume, List<String> ignoredOptions,
            DataFolder data, FoldSplit split, Block block, LinkedHashMap<String, Parameter> parameters,
            LoadReport pretrained, NDManager manager) {
        InputSpec input = config.network().input();
        long seed = config.loop().seed();
        int numClasses = data.labels().size();
        Execution execution = execution(config.execution());
        AdamW optimizer = AdamW.forNetwork(parameters, config.optimizer().weightDecay(), manager);
        EarlyStopping earlyStopping = new EarlyStopping(config.loop().earlyStop());
        // with a moving average, a second network holds it: the checks, the best model and so the predictions use it
        WeightAverage average = null;
        Block evaluated = block;
        if (config.optimizer().emaDecay() > 0) {
            evaluated = ModelRegistry.get(config.network().arch())
                    .buildInitialized(numClasses, input.size(), manager, execution.precision(),
                            execution.smallConvolutions());
            average = new WeightAverage(parameters, StateDict.parameters(evaluated), config.optimizer().emaDecay(),
                    config.optimizer().emaWarmup());
        }
        Map<String, Parameter> averaged = average == null ? Map.of() : average.averaged();
        TrainingLoop.Progress start = TrainingLoop.Progress.START;
        if (resume) {
            if (!ignoredOptions.isEmpty()) {
                LOG.warn("--resume continues with the run's stored configuration ({}); ignoring {}",
                        run.config(), String.join(" ", ignoredOptions));
            }
            start = Checkpoint.restore(run, parameters, averaged, optimizer, earlyStopping, manager);
            LOG.info("resuming {} at step {}", run.dir(), start.steps());
        } else {
            if (pretrained != null) {
                LOG.info("pretrained weights {}: {}", pretrained.file(), pretrained.summary());
            }
            HeadBias.describe(config.network(), split.train().size(), pretrained).ifPresent(LOG::info);
            if (average != null) {
                average.reset();
            }
            List<Path> dataFiles = List.of(config.data().dir().resolve("labels.csv"),
                    config.data().dir().resolve("train.csv"), config.data().folds());
            Engine engine = Engine.getInstance();
            RunConfigFile.write(run.config(), new RunConfigFile.Content(config,
                    Provenance.of(seed, dataFiles, engine.getEngineName() + " " + engine.getVersion())));
        }
        LOG.info("{}: {} train / {} valid images, {} classes, {} px, batch {}, run folder {}",
                config.network().arch(), split.train().size(), split.valid().size(), numClasses, input.size(),
                config.loop().batchSize(), run.dir());
        DecodedImageCache cache = DecodedImageCache.withDefaultBudget();
        if (average != null) {
            LOG.info("checks and the best model use the moving average of the weights, decay {}{}",
                    config.optimizer().emaDecay(), config.optimizer().emaWarmup() ? " (warmed up)" : "");
        }
        LOG.info("execution: {} ({})", execution.describe(), execution.chosen());
        Predictor validator = new Predictor(evaluated, manager, input, config.loop().batchSize(),
                config.loop().workers(), cache, config.data().maxImagePixels(), execution.memoryFormat());
        TrainStep step = new TrainStep(block, optimizer, manager, config.objective().lossFunction(),
                config.optimizer().clipNorm(), execution.memoryFormat());
        TrainingLoop loop = new TrainingLoop(config, step, parameters, split, data.labels(), validator, cache,
                earlyStopping, start);
        List<String> labelNames = data.labels().names();
        MetricsTable metrics = new MetricsTable(run.metrics(), start.steps());
        if (average != null) {
            loop.addListener(average);
        }
        loop.addListener(new ProgressReporter(Progress.isTerminal(), Progress.LOG_EVERY))
                .addListener(metrics)
                .addListener(new CurvesWriter(run.curves(), config.network().arch() + ", fold " + config.data().fold()
                        + ", " + input.size() + " px", metrics::rows))
                .addListener(new BestModelWriter(run, evaluated, threshold -> new ModelInfo(config.network().arch(),
                        numClasses, labelNames, input, uniformThresholds(data, threshold), config.loop().maxLabels())))
                .addListener(new CheckpointWriter(run, parameters, averaged, optimizer, earlyStopping, seed));
        StatusWriter status = new StatusWriter(run, earlyStopping);
        loop.addListener(status);
        TrainingListener.Ending end;
        try {
            end = runWithInterruptHandler(loop);
        } catch (RuntimeException e) {
            try {
                status.failed(loop.step(), e.getMessage());
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed); // a full disk cannot take the status either
            }
            throw e;
        }
        if (!end.interrupted()) {
            LOG.info("done at step {}: best f2 {} @ {} (step {}){}", end.step(),
                    String.format(Locale.ROOT, "%.4f", earlyStopping.bestF2()),
                    String.format(Locale.ROOT, "%.2f", earlyStopping.bestThreshold()), earlyStopping.bestStep(),
                    end.stopReason() == null ? "" : "; " + end.stopReason());
        }
        return new Outcome(run, end.step(), end.stopReason(), end.interrupted());
    }

    private static void createFolder(RunFolder run) {
        try {
            Files.createDirectories(run.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + run.dir() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Double> uniformThresholds(DataFolder data, double threshold) {
        Map<String, Double> m = new LinkedHashMap<>();
        data.labels().groups().forEach(g -> m.put(g, threshold));
        return m;
    }

    /**
     * Runs the loop; Ctrl+C (SIGINT/SIGTERM) asks it to stop after the current step and waits until the
     * checkpoint is written before the JVM exits.
     */
    private static TrainingListener.Ending runWithInterruptHandler(TrainingLoop loop) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            loop.interrupt();
            try {
                finished.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "imet-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits once it returns
            }
        }
    }

    private static FileAppender<ILoggingEvent> attachLogFile(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss} %-5level %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("run-log");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    private static void detachLogFile(FileAppender<ILoggingEvent> appender) {
        if (appender != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
    }
}
