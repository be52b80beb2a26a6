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
import dev.imet.data.DataFolder;
import dev.imet.data.DecodedImageCache;
import dev.imet.data.ImageItem;
import dev.imet.data.Transforms;
import dev.imet.folds.FoldSplit;
import dev.imet.model.ModelInfo;
import dev.imet.model.ModelRegistry;
import dev.imet.model.ModelSpec;
import dev.imet.model.PretrainedWeights;
import dev.imet.model.StateDict;
import dev.imet.predict.Predictor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** How a run ended. */
    public record Outcome(RunFolder run, RunState state, boolean interrupted) {}

    private Training() {}

    /** Starts a new run in {@code config.runDir()} (which must not hold one already). */
    public static Outcome start(TrainConfig config) {
        RunFolder run = new RunFolder(config.runDir());
        if (Files.exists(run.checkpoint())) {
            throw new InputException(run.dir() + " already holds a training run: use --resume to continue it, or"
                    + " another --run-dir");
        }
        return execute(config, run, false);
    }

    /** Continues the run in {@code runDir} from its last checkpoint. */
    public static Outcome resume(Path runDir) {
        RunFolder run = new RunFolder(runDir);
        if (!Files.exists(run.config()) || !Files.exists(run.checkpoint())) {
            throw new InputException(runDir + ": no run to resume (config.json and checkpoint.safetensors are needed)");
        }
        TrainConfig config = RunConfigFile.read(run.config()).config();
        return execute(config, run, true);
    }

    private static Outcome execute(TrainConfig config, RunFolder run, boolean resume) {
        DataFolder data = DataFolder.load(config.data());
        FoldSplit split = FoldSplit.of(data, config.folds(), config.fold());
        List<ImageItem> trainItems = split.train();
        List<ImageItem> validItems = split.valid();
        ModelSpec spec = ModelRegistry.get(config.arch());
        try {
            Files.createDirectories(run.dir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileAppender<ILoggingEvent> logFile = attachLogFile(run.log());
        try (NDManager manager = NDManager.newBaseManager()) {
            int numClasses = data.labels().size();
            Engine.getInstance().setRandomSeed((int) config.seed());
            Block block = spec.buildInitialized(numClasses, manager);
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
            int layer3Blocks = ParamGroups.layer3Blocks(parameters.keySet());
            Map<String, Integer> groups = new LinkedHashMap<>();
            parameters.keySet().forEach(n -> groups.put(n, ParamGroups.group(n, layer3Blocks)));
            AdamW optimizer = new AdamW(parameters, groups, config.weightDecay(), manager);
            RunState state;
            if (resume) {
                state = Checkpoint.restore(run.checkpoint(), parameters, optimizer, manager);
                LOG.info("resuming {} at step {}", run.dir(), state.step);
            } else {
                if (config.pretrained() != null) {
                    LOG.info("pretrained weights: {}", PretrainedWeights.load(config.pretrained(), block, config.prefixMap()));
                }
                state = new RunState();
                List<Path> dataFiles = List.of(config.data().resolve("labels.csv"), config.data().resolve("train.csv"), config.folds());
                RunConfigFile.write(run.config(), new RunConfigFile.Content(config,
                        Provenance.of(config.seed(), dataFiles, Engine.getInstance().getEngineName() + " "
                                + Engine.getInstance().getVersion())));
            }
            LOG.info("{}: {} train / {} valid images, {} classes, {} px, batch {}, run folder {}", config.arch(),
                    trainItems.size(), validItems.size(), numClasses, config.imageSize(), config.batchSize(), run.dir());
            DecodedImageCache cache = DecodedImageCache.withDefaultBudget();
            Predictor validator = new Predictor(block, manager, config.imageSize(), spec.mean(), spec.std(),
                    config.batchSize(), config.workers(), cache);
            TrainingLoop loop = new TrainingLoop(config, block, parameters, optimizer, manager, trainItems, validItems,
                    data.labels(), Transforms.train(config.imageSize(), spec.mean(), spec.std()), validator, cache, state);
            List<String> labelNames = data.labels().names();
            loop.addListener(new ProgressReporter(ProgressReporter.isTerminal(), Duration.ofSeconds(30)))
                    .addListener(new MetricsTable(run.metrics(), resume ? state.step : 0))
                    .addListener(new EarlyStopping(config.earlyStop()))
                    .addListener(new BestModelWriter(run, threshold -> new ModelInfo(config.arch(), numClasses,
                            labelNames, config.imageSize(), spec.mean(), spec.std(),
                            uniformThresholds(data, threshold), config.maxLabels())))
                    .addListener(new CheckpointWriter(run));
            boolean interrupted = runWithInterruptHandler(loop);
            RunState end = loop.state();
            if (!interrupted) {
                LOG.info("done at step {}: best f2 {} @ {} (step {}){}", end.step, String.format("%.4f", end.bestF2),
                        String.format("%.2f", end.bestThreshold), end.bestStep,
                        end.stopReason == null ? "" : "; " + end.stopReason);
            }
            return new Outcome(run, end, interrupted);
        } finally {
            detachLogFile(logFile);
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
    private static boolean runWithInterruptHandler(TrainingLoop loop) {
        CountDownLatch finished = new CountDownLatch(1);
        boolean[] interrupted = {false};
        Thread hook = new Thread(() -> {
            interrupted[0] = true;
            loop.requestStop();
            try {
                finished.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "imet-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            loop.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM exits once it returns
            }
        }
        return interrupted[0];
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
