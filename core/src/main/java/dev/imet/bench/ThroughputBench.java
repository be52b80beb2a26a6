package dev.imet.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputSpec;
import dev.imet.common.InputException;
import dev.imet.common.ResidentMemory;
import dev.imet.data.Batch;
import dev.imet.data.BatchLoader;
import dev.imet.data.DataFolder;
import dev.imet.data.ImageFiles;
import dev.imet.data.ImageItem;
import dev.imet.data.ImageTransform;
import dev.imet.data.Transforms;
import dev.imet.model.Execution;
import dev.imet.model.ModelRegistry;
import dev.imet.model.ModelSpec;
import dev.imet.model.StateDict;
import dev.imet.inference.ExecutionChooser;
import dev.imet.inference.Loss;
import dev.imet.inference.LossKind;
import dev.imet.inference.Predictor;
import dev.imet.train.AdamW;
import dev.imet.train.ParamGroups;
import dev.imet.train.TrainStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Java side of the side-by-side throughput benchmark, with the protocol of the reference's
 * {@code torch_throughput.py}: random input, sigmoid BCE over C outputs, Adam (AdamW without weight decay or
 * clipping) at 1e-4; a few warm-up steps, then the median step time as images/s, training first, then inference
 * in evaluation mode without autograd; peak resident memory of the whole process. The training step is the
 * training loop's own {@link TrainStep}, the inference forward the {@link Predictor}'s.
 *
 * <p>With a data folder, training steps on its images are also timed fed from the image files through the
 * {@link BatchLoader} (every image decoded), against the same batches prepared in memory beforehand, to show
 * whether loading stays hidden behind compute.
 */
public final class ThroughputBench {
    private static final double LEARNING_RATE = 1e-4;
    private static final int FILE_FED_PASSES = 2;

    /**
     * What to measure. {@code data} may be null (no file-fed run); {@code profile}, when not null, receives the
     * engine's trace of one more training step (Chrome trace format; bench/profile.sh summarises it), and
     * {@link #inferenceTrace}'s file that of one more inference batch. Auto in
     * {@code execution} is resolved as train resolves it, by the hardware and a measurement of training steps.
     */
    public record Options(String arch, int size, int batch, int classes, int threads, int warmup, int trainIters,
            int inferIters, Path data, int workers, Execution.Request execution, Path profile) {
        public Options {
            Objects.requireNonNull(execution, "execution");
            if (size < 32 || batch < 1 || classes < 1 || threads < 1 || warmup < 0 || trainIters < 1 || inferIters < 1
                    || workers < 1) {
                throw new IllegalArgumentException("size >= 32, batch, classes, threads, iterations and workers >= 1,"
                        + " warm-up >= 0");
            }
        }
    }

    private ThroughputBench() {}

    /** Runs the benchmark; the result in the order of the JSON line. */
    public static Map<String, Object> run(Options o) {
        ModelSpec spec = ModelRegistry.get(o.arch());
        DataFolder data = o.data() == null ? null : DataFolder.load(o.data());
        // Before the engine loads: one intra-op thread per core and no inter-op pool, as the Python side sets.
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(o.threads()));
        Engine engine = Engine.getInstance();
        int threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(o.threads());
        try {
            return measure(o, spec, data, engine);
        } finally {
            JniUtils.setNumThreads(threadsBefore);
        }
    }

    private static Map<String, Object> measure(Options o, ModelSpec spec, DataFolder data, Engine engine) {
        int classes = data == null ? o.classes() : data.labels().size();
        engine.setRandomSeed(0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("side", "java");
        result.put("engine", engine.getEngineName() + " " + engine.getVersion());
        result.put("arch", o.arch());
        result.put("size", o.size());
        result.put("batch", o.batch());
        result.put("threads", JniUtils.getNumThreads());
        Execution execution = ExecutionChooser.choose(o.execution(), spec, classes, o.size(), o.batch(),
                TrainStep.workload(Loss.of(LossKind.BCE), 0, 0));
        engine.setRandomSeed(0);
        System.err.println("execution: " + execution.describe() + " (" + execution.chosen() + ")");
        result.put("precision", execution.precision().label());
        result.put("memory_format", execution.memoryFormat().label());
        result.put("small_convolutions", execution.smallConvolutions().label());
        try (NDManager manager = NDManager.newBaseManager()) {
            InputSpec input = spec.input().withSize(o.size());
            Block block = spec.buildInitialized(classes, input.size(), manager, execution.precision(),
                    execution.smallConvolutions());
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(block);
            result.put("params", StateDict.parameterCount(block));
            AdamW adam = AdamW.forNetwork(parameters, 0, manager);
            TrainStep step = new TrainStep(block, adam, manager, Loss.of(LossKind.BCE), 0, execution.memoryFormat());
            double[] lrs = new double[ParamGroups.COUNT];
            Arrays.fill(lrs, LEARNING_RATE);

            int n = o.batch();
            Batch random = Batch.random(n, o.size(), classes, 0);
            double[] trainSeconds = timed(o.warmup(), o.trainIters(), () -> step.run(random, lrs));
            result.put("train_img_s", round(n / median(trainSeconds)));
            if (o.profile() != null) {
                profileOneStep(o.profile(), () -> step.run(random, lrs));
            }

            if (data != null) {
                FileFedRun run = new FileFedRun(o, data, input, step, lrs);
                // The same batches alternately from memory and decoded from the files (memory, files, memory,
                // files, memory); each file-fed pass is set against the mean of the in-memory passes on either
                // side of it, which cancels the machine's drift in speed (a few per cent over minutes here).
                List<Batch> prepared = run.prepareBatches();
                double previousMemory = run.inMemorySeconds(prepared);
                double fileSeconds = 0;
                double memorySeconds = 0;
                for (int pass = 0; pass < FILE_FED_PASSES; pass++) {
                    fileSeconds += run.fileFedSeconds();
                    double nextMemory = run.inMemorySeconds(prepared);
                    memorySeconds += (previousMemory + nextMemory) / 2;
                    previousMemory = nextMemory;
                }
                fileSeconds /= FILE_FED_PASSES;
                memorySeconds /= FILE_FED_PASSES;
                result.put("file_fed_train_s", round(fileSeconds));
                result.put("in_memory_train_s", round(memorySeconds));
                result.put("file_over_memory", Math.round(fileSeconds / memorySeconds * 1000) / 1000.0);
            }

            Predictor predictor = new Predictor(block, manager, input, n, o.workers(), null,
                    ImageFiles.DEFAULT_MAX_PIXELS, execution.memoryFormat());
            Runnable inferenceBatch = () -> {
                try (NDManager scope = manager.newSubManager()) {
                    Activation.sigmoid(predictor.logits(scope, random.images(), n)).toFloatArray();
                }
            };
            double[] inferSeconds = timed(o.warmup(), o.inferIters(), inferenceBatch);
            result.put("infer_img_s", round(n / median(inferSeconds)));
            if (o.profile() != null) {
                profileOneStep(inferenceTrace(o.profile()), inferenceBatch);
            }
        }
        result.put("peak_rss_mb", ResidentMemory.peakMb());
        return result;
    }

    /**
     * {@code trainIters} training steps on the data folder's first shuffled batches, timed on those batches
     * decoded and transformed beforehand (in memory), and fed from the image files through the {@link BatchLoader}
     * with no decoded-image cache (every image decoded, as in a first epoch; loader start included). The same
     * batches on both sides, so the difference is what loading adds to the critical path.
     */
    private static final class FileFedRun {
        private final Options o;
        private final TrainStep step;
        private final double[] lrs;
        private final List<ImageItem> items = new ArrayList<>();
        private final ImageTransform transform;
        private final int classes;

        FileFedRun(Options o, DataFolder data, InputSpec input, TrainStep step, double[] lrs) {
            this.o = o;
            this.step = step;
            this.lrs = lrs;
            data.train().forEach(s -> items.add(new ImageItem(s.id(), data.trainImage(s.id()), s.labels())));
            if (items.size() < o.batch() * (long) o.trainIters()) {
                throw new InputException(o.data() + ": " + items.size() + " train images, fewer than "
                        + o.trainIters() + " batches of " + o.batch() + " (lower --train-iters or --batch-size)");
            }
            transform = Transforms.train(input);
            classes = data.labels().size();
        }

        private BatchLoader loader() {
            return new BatchLoader(items, classes, transform,
                    BatchLoader.Options.training(o.batch(), 0, 0).withWorkers(o.workers()));
        }

        List<Batch> prepareBatches() {
            List<Batch> batches = new ArrayList<>();
            try (BatchLoader loader = loader()) {
                for (var it = loader.iterator(); it.hasNext() && batches.size() < o.trainIters(); ) {
                    Batch b = it.next();
                    batches.add(new Batch(b.ids(), b.images().clone(), b.targets().clone(), b.size()));
                    loader.recycle(b);
                }
            }
            return batches;
        }

        double inMemorySeconds(List<Batch> batches) {
            long started = System.nanoTime();
            for (Batch b : batches) {
                step.run(b, lrs);
            }
            return (System.nanoTime() - started) / 1e9;
        }

        double fileFedSeconds() {
            long started = System.nanoTime();
            try (BatchLoader loader = loader()) {
                int steps = 0;
                for (var it = loader.iterator(); it.hasNext() && steps < o.trainIters(); steps++) {
                    Batch b = it.next();
                    step.run(b, lrs);
                    loader.recycle(b);
                }
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** Where the inference trace goes beside the training trace {@code profile}: NAME-inference.json. */
    public static Path inferenceTrace(Path profile) {
        String name = profile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return profile.resolveSibling(stem + "-inference.json");
    }

    /**
     * The engine's per-operation trace of one call. The engine writes the trace to a path, so it goes to a scratch
     * file first and is then written atomically to {@code target}.
     */
    private static void profileOneStep(Path target, Runnable call) {
        Path scratch;
        try {
            scratch = Files.createTempFile("imet-profile-", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch file for the profile: " + e.getMessage(), e);
        }
        try {
            JniUtils.startProfile(false, false, false);
            try {
                call.run();
            } finally {
                JniUtils.stopProfile(scratch.toString());
            }
            AtomicFiles.write(target, out -> Files.copy(scratch, out));
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException ignored) {
                // best effort: a scratch file in the temporary folder
            }
        }
    }

    /** Seconds of each of {@code iters} calls after {@code warmup} untimed ones. */
    static double[] timed(int warmup, int iters, Runnable call) {
        double[] seconds = new double[iters];
        for (int i = 0; i < warmup + iters; i++) {
            long t = System.nanoTime();
            call.run();
            if (i >= warmup) {
                seconds[i - warmup] = (System.nanoTime() - t) / 1e9;
            }
        }
        return seconds;
    }

    /** The middle value (the upper one of an even count), as the Python side takes it. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
