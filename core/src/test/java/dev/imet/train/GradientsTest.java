package dev.imet.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientsTest {
    /** loss = sum(a * b) + sum(a^2): d/da = b + 2a, d/db = a; c is not in the loss, so its gradient is zeros. */
    @Test
    void givesEachTensorsGradientAsANewTensorAndLeavesGradAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, -2f, 0.5f});
            NDArray b = manager.create(new float[] {3f, 4f, -1f});
            NDArray c = manager.create(new float[] {7f, 8f});
            for (NDArray t : List.of(a, b, c)) {
                t.setRequiresGradient(true);
            }
            Gradients gradients = new Gradients((PtNDManager) manager);
            for (int repeat = 0; repeat < 2; repeat++) { // nothing accumulates between calls
                NDArray loss;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    loss = a.mul(b).sum().add(a.square().sum());
                }
                List<NDArray> g = gradients.of(loss, List.of(a, b, c));
                assertThat(g.get(0).toFloatArray()).containsExactly(5f, 0f, 0f);
                assertThat(g.get(1).toFloatArray()).containsExactly(1f, -2f, 0.5f);
                assertThat(g.get(2).toFloatArray()).containsExactly(0f, 0f);
                assertThat(g.get(0).getManager()).isSameAs(loss.getManager());
            }
            // DJL's getGradient gives zeros while autograd has stored no .grad
            assertThat(a.getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
        }
    }
}
