package dev.imet.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import dev.imet.eval.BinarizationRule;
import dev.imet.inference.Predictor;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.model.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A model loaded in one executor JVM, once, and shared by the tasks running there: the network's weights live
 * once in native memory, and each partition borrows a predictor of its own.
 *
 * <p>Predictors are kept for the next partition rather than made anew: each holds the native buffer its batches
 * are copied into, which only the garbage collector would free, so a new one per partition would let native
 * memory climb between collections. There are never more predictors than tasks that ran at once.
 *
 * <p>A model stays loaded for the JVM's life (an executor's: one job, as the command runs it).
 *
 * <p>It runs in float32 with channels-last input, fixed rather than auto: every executor must compute the same
 * rows whatever its processor, and measuring the memory format in each executor would cost each one a model's
 * worth of steps (the command's output equals {@code predict-test --precision fp32 --memory-format channels-last}).
 */
final class ExecutorModel {
    private static final Map<Long, ExecutorModel> LOADED = new HashMap<>();

    final ModelInfo info;
    final BinarizationRule.Binarizer labels;
    private final NDManager manager;
    private final Block block;
    private final Map<String, ConcurrentLinkedQueue<Predictor>> idle = new HashMap<>();
    /** The engine's arrays of the loaded model: its weights. */
    final int arraysAtLoad;

    private ExecutorModel(ModelInfo info, BinarizationRule.Binarizer labels, NDManager manager, Block block) {
        this.info = info;
        this.labels = labels;
        this.manager = manager;
        this.block = block;
        this.arraysAtLoad = residentArrays();
    }

    /** The models loaded in this JVM. */
    static synchronized List<ExecutorModel> loaded() {
        return List.copyOf(LOADED.values());
    }

    /** The model of broadcast {@code key} in this JVM, loaded from {@code files} the first time. */
    static synchronized ExecutorModel get(long key, Supplier<ModelFiles> files) {
        return LOADED.computeIfAbsent(key, k -> load(files.get()));
    }

    /**
     * The engine's threads for the calling task: the cores of one task. PyTorch keeps the count for the process
     * and for each thread that ran an operation already, so every task sets it on its own thread.
     */
    static void useEngineThreads(int threads) {
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
    }

    private static ExecutorModel load(ModelFiles files) {
        // The engine's native library is in the job's jar; it must never be fetched from the network.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("imet-model-");
            files.writeTo(dir);
            ModelInfo info = ModelFolder.readInfo(dir);
            BinarizationRule.Binarizer labels = LabelRule.of(dir).forModel(info);
            NDManager manager = NDManager.newBaseManager();
            return new ExecutorModel(info, labels, manager, ModelFolder.load(dir, manager, Precision.FP32));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the model of " + files.source() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** A predictor for one partition; give it back with {@link #giveBack} when the partition ends. */
    Predictor borrow(int batchSize, long maxPixels) {
        Predictor predictor = pool(batchSize, maxPixels).poll();
        // one decoding worker: the task's thread does everything, as many tasks run as there are cores
        return predictor != null ? predictor
                : new Predictor(block, manager, info.input(), batchSize, 1, null, maxPixels, MemoryFormat.CHANNELS_LAST);
    }

    void giveBack(Predictor predictor, int batchSize, long maxPixels) {
        pool(batchSize, maxPixels).add(predictor);
    }

    /**
     * Arrays the engine holds for this model and its predictors outside a batch: {@link #arraysAtLoad} while no
     * batch runs, when every batch freed its tensors.
     */
    int residentArrays() {
        return manager.getManagedArrays().size();
    }

    private synchronized ConcurrentLinkedQueue<Predictor> pool(int batchSize, long maxPixels) {
        return idle.computeIfAbsent(batchSize + "/" + maxPixels, k -> new ConcurrentLinkedQueue<>());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
