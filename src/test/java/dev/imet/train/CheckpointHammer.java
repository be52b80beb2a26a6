package dev.imet.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.imet.model.ModelRegistry;
import dev.imet.model.StateDict;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process for {@link ResumeTest} that writes checkpoints of a resnet18 (about 45 MB) back to back, so that a
 * SIGKILL sent to it lands in the middle of a write.
 */
public final class CheckpointHammer {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(ModelRegistry.get("resnet18").buildInitialized(10, manager));
            AdamW optimizer = new AdamW(parameters, groups(parameters), 0, manager);
            for (long i = 1; ; i++) {
                RunState state = new RunState();
                state.step = i;
                Checkpoint.save(file, parameters, optimizer, state, 1);
                System.out.println("saved " + i);
                System.out.flush();
            }
        }
    }

    private static Map<String, Integer> groups(Map<String, Parameter> parameters) {
        Map<String, Integer> g = new LinkedHashMap<>();
        parameters.keySet().forEach(n -> g.put(n, 0));
        return g;
    }

    /** Restores the checkpoint into a fresh network: it must be complete. */
    static void verify(Path file) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(ModelRegistry.get("resnet18").buildInitialized(10, manager));
            RunState state = Checkpoint.restore(file, parameters, new AdamW(parameters, groups(parameters), 0, manager), manager);
            if (state.step < 1) {
                throw new AssertionError("checkpoint step " + state.step);
            }
        }
    }
}
