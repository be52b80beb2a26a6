package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.imet.data.Batch;
import dev.imet.inference.ExecutionChooser;
import dev.imet.inference.Loss;
import dev.imet.inference.LossKind;
import dev.imet.model.Execution;
import dev.imet.model.MemoryFormat;
import dev.imet.model.ModelRegistry;
import dev.imet.model.Precision;
import dev.imet.model.SmallConvolutions;
import dev.imet.model.StateDict;
import org.junit.jupiter.api.Test;

/** What auto measures for training: the whole optimiser step, and only the choices left open. */
class TrainStepWorkloadTest {
    private static final ExecutionChooser.Workload TRAINING = TrainStep.workload(Loss.of(LossKind.BCE), 1.0, 1e-2);

    @Test
    void allGivenMeasuresNothing() {
        Execution e = ExecutionChooser.choose(
                new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS, SmallConvolutions.DIRECT),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, TRAINING);
        assertThat(e.precision()).isEqualTo(Precision.FP32);
        assertThat(e.memoryFormat()).isEqualTo(MemoryFormat.CONTIGUOUS);
        assertThat(e.smallConvolutions()).isEqualTo(SmallConvolutions.DIRECT);
        assertThat(e.chosen()).isEqualTo("precision given; memory format given; small convolutions given");
    }

    /** At 32 px the last stage of tiny_resnet puts out 1 x 1: the candidates run it unfolded, the winner direct too. */
    @Test
    void autoSmallConvolutionsAreMeasuredAgainstTheDirectOnes() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS, null),
                ModelRegistry.get("tiny_resnet"), 5, 32, 2, TRAINING);
        assertThat(e.chosen()).matches("precision given; memory format given; small convolutions auto; measured,"
                + " small convolutions as matmul: fp32 contiguous [0-9.]+ s, then fp32 contiguous [0-9.]+ s against"
                + " [0-9.]+ s with the small convolutions direct per training step");
    }

    /** At 128 px its last stage puts out 4 x 4, where nothing is unfolded: nothing to measure. */
    @Test
    void noSmallConvolutionsAtThisSizeMeasuresNothing() {
        Execution e = ExecutionChooser.choose(new Execution.Request(Precision.FP32, MemoryFormat.CONTIGUOUS, null),
                ModelRegistry.get("tiny_resnet"), 5, 128, 2, TRAINING);
        assertThat(e.smallConvolutions()).isEqualTo(SmallConvolutions.DIRECT);
        assertThat(e.chosen()).isEqualTo("precision given; memory format given; small convolutions none at 128 px");
    }

    /** The measured step is the run's: it updates the weights, in either memory format. */
    @Test
    void eachMeasuredStepIsAnOptimiserStep() {
        for (MemoryFormat format : MemoryFormat.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = ModelRegistry.get("tiny_resnet").buildInitialized(5, 32, manager, Precision.FP32,
                        SmallConvolutions.DIRECT);
                float[] before = StateDict.parameters(block).get("fc.weight").getArray().toFloatArray();
                Runnable step = TRAINING.prepare(block, manager, format, Batch.random(2, 32, 5, 0));
                step.run();
                float[] after = StateDict.parameters(block).get("fc.weight").getArray().toFloatArray();
                assertThat(after).as(format.label()).isNotEqualTo(before);
            }
        }
    }
}
