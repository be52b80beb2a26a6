package dev.imet.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.cuda.CudaUtils;
import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelSpec;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Resolves {@code --precision auto}, {@code --memory-format auto} and {@code --small-convolutions auto} by
 * measuring: a throw-away copy of the network, at the run's architecture, input size and batch, runs a few steps
 * (training: forward and backward; inference: the forward without autograd) in each candidate, and the fastest wins. The hardware only decides
 * whether bf16 is a candidate (native bfloat16: avx512_bf16, AMX or a CUDA device with it). No fixed rule holds
 * everywhere: channels-last is 7 % slower than contiguous for resnet18 at 64 px and 7-17 % faster for resnet50 at
 * 320 px on the same processor (docs/performance.md), and bf16's gain shrinks as the network gets small.
 *
 * <p>The measurement draws from the engine's random generator (the copy's initial weights, dropout): run it before
 * seeding the generator for the run.
 */
public final class ExecutionChooser {
    /** Untimed calls first: the script's first runs are profiled and optimised by TorchScript. */
    static final int WARMUP = 1;
    /**
     * Timed steps: at least {@link #MIN_TIMED}, and more while they add up to less than {@link #MIN_TIMED_SECONDS},
     * up to {@link #MAX_TIMED}. Short steps scatter more (resnet18 at 64 px: 0.19-0.22 s for the same candidate in
     * two runs, which swapped the winner with 2 steps each), and a few more of them cost little.
     */
    static final int MIN_TIMED = 2;
    static final int MAX_TIMED = 8;
    static final double MIN_TIMED_SECONDS = 1.0;

    /** What the measured steps do. */
    public enum Workload { TRAINING, INFERENCE }

    private ExecutionChooser() {}

    /**
     * The execution of the request, with auto resolved for this network, size and batch (its caller logs it). The
     * candidates are every memory format (or the one given) at every precision the hardware computes natively (or
     * the one given): bf16 and fp32 where bfloat16 is native, fp32 alone where it would be emulated (5-10 times
     * slower, never worth measuring). With more than one candidate, each runs a few steps and the fastest wins.
     * Then, for training and where the network has {@link SmallConvolutions} at this size, the winner runs again
     * with them unfolded ({@link SmallConvolutions#MATMUL}), which is kept if it is faster: its effect hardly
     * depends on the memory format (the activations there are a few hundred kilobytes), so it is not measured
     * against every other candidate. Inference always runs them direct.
     */
    public static Execution choose(Execution.Request request, ModelSpec spec, int classes, int size, int batch,
            Workload workload) {
        List<Precision> precisions;
        String precisionReason;
        if (request.precision() != null) {
            precisions = List.of(request.precision());
            precisionReason = "given";
        } else {
            Execution.Choice choice = Execution.autoPrecision(cpuFlags(), cudaBf16());
            precisions = choice.precision() == Precision.BF16 ? List.of(Precision.BF16, Precision.FP32)
                    : List.of(Precision.FP32);
            precisionReason = choice.reason();
        }
        List<MemoryFormat> formats = request.memoryFormat() != null ? List.of(request.memoryFormat())
                : List.of(MemoryFormat.values());
        SmallConvolutions small = request.smallConvolutions();
        String smallReason = "given";
        if (small == null && workload == Workload.INFERENCE) {
            small = SmallConvolutions.DIRECT;
            smallReason = "direct in inference";
        } else if (small == null && !SmallConvolutions.appliesTo(spec.layout(), size)) {
            small = SmallConvolutions.DIRECT;
            smallReason = "none at " + size + " px";
        }
        String reason = "precision " + precisionReason + "; memory format "
                + (request.memoryFormat() != null ? "given" : "auto") + "; small convolutions "
                + (small == null ? "auto" : smallReason);
        if (precisions.size() == 1 && formats.size() == 1 && small != null) {
            return new Execution(precisions.get(0), formats.get(0), small, reason);
        }
        // every precision and format with the small convolutions direct (or as given), then the winner unfolded
        SmallConvolutions first = small == null ? SmallConvolutions.DIRECT : small;
        Precision bestPrecision = null;
        MemoryFormat bestFormat = null;
        double best = Double.POSITIVE_INFINITY;
        List<String> measured = new ArrayList<>();
        for (Precision precision : precisions) {
            for (MemoryFormat format : formats) {
                double seconds = secondsPerStep(spec, classes, size, batch, precision, format, first, workload);
                measured.add(precision.label() + " " + format.label() + " " + round(seconds) + " s");
                if (seconds < best) {
                    best = seconds;
                    bestPrecision = precision;
                    bestFormat = format;
                }
            }
        }
        SmallConvolutions bestSmall = first;
        if (small == null) {
            double unfolded = secondsPerStep(spec, classes, size, batch, bestPrecision, bestFormat,
                    SmallConvolutions.MATMUL, workload);
            measured.add(bestPrecision.label() + " " + bestFormat.label() + " small convolutions as matmul "
                    + round(unfolded) + " s");
            if (unfolded < best) {
                bestSmall = SmallConvolutions.MATMUL;
            }
        }
        return new Execution(bestPrecision, bestFormat, bestSmall, reason + "; measured " + String.join(", ", measured)
                + " per " + workload.name().toLowerCase(Locale.ROOT) + " step");
    }

    /** The fastest of the timed steps after {@link #WARMUP}, on a fresh copy of the network. */
    static double secondsPerStep(ModelSpec spec, int classes, int size, int batch, Precision precision,
            MemoryFormat format, SmallConvolutions small, Workload workload) {
        float[] images = new float[batch * 3 * size * size];
        Random random = new Random(0);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        Engine engine = Engine.getInstance(); // loads the native library before its first call
        boolean recording = JniUtils.isGradMode();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = spec.buildInitialized(classes, size, manager, precision, small);
            ParameterStore store = new ParameterStore(manager, false);
            double best = Double.POSITIVE_INFINITY;
            int timed = 0;
            double timedSeconds = 0;
            for (int i = 0; timed < MIN_TIMED || timed < MAX_TIMED && timedSeconds < MIN_TIMED_SECONDS; i++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = format.arrange(step.create(images, new Shape(batch, 3, size, size)));
                    long started = System.nanoTime();
                    if (workload == Workload.TRAINING) {
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                            collector.backward(logits.sum());
                        }
                    } else {
                        JniUtils.setGradMode(false); // the finally block restores it
                        block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
                    }
                    if (i >= WARMUP) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        best = Math.min(best, seconds);
                        timed++;
                        timedSeconds += seconds;
                    }
                }
            }
            return best;
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    private static Set<String> cpuFlags() {
        try {
            return Execution.cpuFlags(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Set.of(); // not Linux: no flags known, float32
        }
    }

    /** A CUDA device of compute capability 8.0 or more (Ampere on), which has bfloat16 arithmetic. */
    private static boolean cudaBf16() {
        try {
            return CudaUtils.hasCuda() && CudaUtils.getGpuCount() > 0
                    && Integer.parseInt(CudaUtils.getComputeCapability(0)) >= 80;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String round(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
