package dev.imet.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.cuda.CudaUtils;
import dev.imet.data.Batch;
import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelSpec;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Resolves {@code --precision auto}, {@code --memory-format auto} and {@code --small-convolutions auto} by
 * measuring: a throw-away copy of the network, at the run's architecture, input size and batch, runs a few of the
 * run's own steps ({@link Workload}: training's whole optimiser step, or inference batches) in each candidate, and
 * the fastest wins. The hardware only decides whether bf16 is a candidate (native bfloat16: avx512_bf16, AMX or a
 * CUDA device with it). No fixed rule holds everywhere: for resnet18 at 64 px channels-last was 7 % slower than
 * contiguous on an AMD EPYC (fp32) and 6-8 % faster on an Intel Xeon with AMX (bf16); for resnet50 at 320 px it
 * was 7-17 % faster; and bf16's gain shrinks as the network gets small (docs/performance.md).
 *
 * <p>The measurement draws from the engine's random generator (the copy's initial weights, dropout): run it before
 * seeding the generator for the run.
 */
public final class ExecutionChooser {
    /** Untimed calls first: the script's first runs are profiled and optimised by TorchScript. */
    static final int WARMUP = 1;
    /**
     * Timed steps of each candidate: at least {@link #MIN_TIMED}, and more while they add up to less than
     * {@link #MIN_TIMED_SECONDS} per candidate, up to {@link #MAX_TIMED}. Short steps scatter more (resnet18 at
     * 64 px: 0.21-0.30 s for the same candidate in one measurement), and a few more of them cost little.
     */
    static final int MIN_TIMED = 2;
    static final int MAX_TIMED = 8;
    static final double MIN_TIMED_SECONDS = 1.0;

    /**
     * The steps measured in each candidate: the ones the run will take, so that what runs around the network (in
     * training the gradients' copies, clipping and the optimiser, whose cost depends on the layout too) is timed.
     */
    public interface Workload {
        /** Training steps, where the small convolutions are a choice too, rather than inference batches. */
        boolean training();

        /**
         * Readies the steps on {@code block}, a fresh copy of the network built in the candidate's precision with
         * its arrays in {@code manager}; each run of the result is one step on {@code batch} in {@code format},
         * finished (its results read back) and its arrays freed when it returns.
         */
        Runnable prepare(Block block, NDManager manager, MemoryFormat format, Batch batch);
    }

    /** Inference batches, what the predict commands run. */
    public static final Workload INFERENCE = new Workload() {
        @Override
        public boolean training() {
            return false;
        }

        @Override
        public Runnable prepare(Block block, NDManager manager, MemoryFormat format, Batch batch) {
            return inferenceBatches(block, manager, format, batch);
        }
    };

    private ExecutionChooser() {}

    /**
     * The execution of the request, with auto resolved for this network, size and batch (its caller logs it). The
     * candidates are every memory format (or the one given) at every precision the hardware computes natively (or
     * the one given): bf16 and fp32 where bfloat16 is native, fp32 alone where it would be emulated (5-10 times
     * slower, never worth measuring). With more than one candidate, each runs a few steps and the fastest wins.
     * For training, where the network has {@link SmallConvolutions} at this size and they are left to auto, the
     * candidates run them unfolded ({@link SmallConvolutions#MATMUL}, the faster everywhere measured so far), and
     * the winner runs again with them direct, which is kept if it is faster. Their effect hardly depends on the
     * memory format (the activations there are a few hundred kilobytes), so they are not measured against every
     * other candidate; but measuring the formats with the slow direct backward (a third of a resnet18 step at
     * 64 px) drowned the formats' 6-8 % difference in its own scatter. Inference always runs them direct.
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
        if (small == null && !workload.training()) {
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
        // every precision and format with the small convolutions unfolded (or as given), then the winner direct
        SmallConvolutions first = small == null ? SmallConvolutions.MATMUL : small;
        List<Candidate> candidates = new ArrayList<>();
        for (Precision precision : precisions) {
            for (MemoryFormat format : formats) {
                candidates.add(new Candidate(precision, format, first));
            }
        }
        double[] seconds = secondsPerStep(spec, classes, size, batch, candidates, workload);
        Candidate best = candidates.get(0);
        List<String> measured = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            measured.add(candidates.get(i).label() + " " + round(seconds[i]) + " s");
            if (seconds[i] < seconds[candidates.indexOf(best)]) {
                best = candidates.get(i);
            }
        }
        if (small == null) {
            Candidate direct = new Candidate(best.precision(), best.format(), SmallConvolutions.DIRECT);
            double[] again = secondsPerStep(spec, classes, size, batch, List.of(best, direct), workload);
            measured.add("then " + best.label() + " " + round(again[0]) + " s against " + round(again[1])
                    + " s with the small convolutions direct");
            if (again[1] < again[0]) {
                best = direct;
            }
        }
        return new Execution(best.precision(), best.format(), best.small(), reason + "; measured"
                + (small == null ? ", small convolutions as matmul: " : " ") + String.join(", ", measured)
                + " per " + (workload.training() ? "training" : "inference") + " step");
    }

    /** One candidate execution. */
    record Candidate(Precision precision, MemoryFormat format, SmallConvolutions small) {
        String label() {
            return precision.label() + " " + format.label();
        }
    }

    /**
     * The fastest timed step of each candidate after {@link #WARMUP}, each on a fresh copy of the network, taken in
     * rounds of one step per candidate: a slow spell of the machine (other jobs on shared cores, for seconds at a
     * time) then falls on every candidate alike, where one candidate after the other it fell on whichever ran then
     * and outweighed a 6-8 % difference. All the copies live at once (with their optimiser state in training):
     * for resnet50 some 400 MB each.
     */
    static double[] secondsPerStep(ModelSpec spec, int classes, int size, int batch, List<Candidate> candidates,
            Workload workload) {
        Engine.getInstance(); // loads the native library before its first call
        Batch data = Batch.random(batch, size, classes, 0);
        List<NDManager> managers = new ArrayList<>();
        try {
            List<Runnable> steps = new ArrayList<>();
            for (Candidate candidate : candidates) {
                NDManager manager = NDManager.newBaseManager();
                managers.add(manager);
                Block block = spec.buildInitialized(classes, size, manager, candidate.precision(), candidate.small());
                steps.add(workload.prepare(block, manager, candidate.format(), data));
            }
            double[] best = new double[candidates.size()];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            double budget = MIN_TIMED_SECONDS * candidates.size();
            double timedSeconds = 0;
            for (int round = 0; round < WARMUP + MIN_TIMED
                    || round < WARMUP + MAX_TIMED && timedSeconds < budget; round++) {
                for (int i = 0; i < steps.size(); i++) {
                    long started = System.nanoTime();
                    steps.get(i).run();
                    if (round >= WARMUP) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        best[i] = Math.min(best[i], seconds);
                        timedSeconds += seconds;
                    }
                }
            }
            return best;
        } finally {
            managers.forEach(NDManager::close);
        }
    }

    /** Inference batches: the forward pass without autograd, its logits read back. */
    private static Runnable inferenceBatches(Block block, NDManager manager, MemoryFormat format, Batch batch) {
        ParameterStore store = new ParameterStore(manager, false);
        Shape shape = new Shape(batch.count(), 3, batch.size(), batch.size());
        return () -> {
            boolean recording = JniUtils.isGradMode();
            try (NDManager step = manager.newSubManager()) {
                JniUtils.setGradMode(false);
                NDArray x = format.arrange(step.create(batch.images(), shape));
                block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            } finally {
                JniUtils.setGradMode(recording);
            }
        };
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
