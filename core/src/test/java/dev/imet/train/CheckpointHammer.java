package dev.imet.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.imet.model.ModelRegistry;
import dev.imet.model.StateDict;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * A process for {@link ResumeTest} that writes checkpoints of a resnet18 (about 45 MB) back to back, so that a
 * SIGKILL sent to it lands in the middle of a write.
 */
public final class CheckpointHammer {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(ModelRegistry.get("resnet18").buildInitialized(10, manager));
            AdamW optimizer = AdamW.forNetwork(parameters, 0, manager);
            EarlyStopping earlyStopping = new EarlyStopping(0);
            for (long i = 1; ; i++) {
                Checkpoint.write(file, parameters, java.util.Map.of(), optimizer, new TrainingLoop.Progress(i, 0, 0), earlyStopping, 1);
                System.out.println("saved " + i);
                System.out.flush();
            }
        }
    }

    /** Restores the checkpoint into a fresh network: it must be complete. */
    static void verify(Path file) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> parameters = StateDict.parameters(ModelRegistry.get("resnet18").buildInitialized(10, manager));
            long step = Checkpoint.restore(file, parameters, java.util.Map.of(), AdamW.forNetwork(parameters, 0, manager),
                    new EarlyStopping(0), manager).steps();
            if (step < 1) {
                throw new AssertionError("checkpoint step " + step);
            }
        }
    }
}
