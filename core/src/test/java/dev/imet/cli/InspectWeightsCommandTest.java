package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.imet.model.ModelFolder;
import dev.imet.model.ModelInfo;
import dev.imet.model.DType;
import dev.imet.model.ModelRegistry;
import dev.imet.model.SafeTensors;
import dev.imet.model.TensorData;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectWeightsCommandTest {
    @TempDir
    Path tmp;

    private static String fixture(String name) throws URISyntaxException {
        return Path.of(InspectWeightsCommandTest.class.getResource("/weights/" + name).toURI()).toString();
    }

    @Test
    void listsTensorsAndParameterCount() throws Exception {
        CommandRunner.Result r = CommandRunner.run("inspect-weights", fixture("state_dict_legacy.pth"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("PyTorch legacy state dict, 14 tensors")
                .containsPattern("conv\\.weight +f32 +\\[4, 3, 3, 3\\]")
                .containsPattern("bn\\.num_batches_tracked +i64 +\\[\\]")
                .contains("dtypes: f64 1 f32 10 f16 1 bf16 1 i64 1");
    }

    @Test
    void checksAFileAgainstAnArchitecture() {
        Path dir = tmp.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder.save(dir, ModelRegistry.get("tiny_resnet").buildInitialized(3, manager),
                    new ModelInfo("tiny_resnet", 3, List.of("a", "b", "c"),
                            ModelRegistry.IMAGENET_INPUT.withSize(64), null, null));
        }
        String file = dir.resolve("model.safetensors").toString();

        CommandRunner.Result own = CommandRunner.run("inspect-weights", file, "--arch", "tiny_resnet");
        assertThat(own.exitCode()).isZero();
        assertThat(own.out()).contains("74 tensors", "... 54 more (--all lists every tensor)",
                "against tiny_resnet (3 classes, from the file's classifier): 62 match, 0 missing, 0 unexpected",
                "fits tiny_resnet");

        CommandRunner.Result otherClasses =
                CommandRunner.run("inspect-weights", file, "--arch", "tiny_resnet", "--classes", "10", "--all");
        assertThat(otherClasses.exitCode()).isZero();
        assertThat(otherClasses.out()).contains("layer4.0.downsample.1.num_batches_tracked",
                "shape mismatch: fc.weight: file [3, 128], network [10, 128]", "fits tiny_resnet except the classifier");

        CommandRunner.Result other = CommandRunner.run("inspect-weights", file, "--arch", "resnet18");
        assertThat(other.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(other.out()).contains("shape mismatch: conv1.weight: file [16, 3, 7, 7], network [64, 3, 7, 7]",
                "missing: layer1.1.conv1.weight", "does not fit resnet18");
    }

    @Test
    void aClassCountSizesNoAllocation() throws Exception {
        Path empty = tmp.resolve("empty_classifier.safetensors");
        SafeTensors.write(empty, Map.of("fc.weight", new TensorData(DType.F32, new long[] {Integer.MAX_VALUE, 0},
                ByteBuffer.allocate(0))), null);
        CommandRunner.Result fromFile = CommandRunner.run("inspect-weights", empty.toString(), "--arch", "tiny_resnet");
        assertThat(fromFile.out()).contains("against tiny_resnet (1000 classes, the default)",
                "shape mismatch: fc.weight: file [2147483647, 0], network [1000, 128]");

        CommandRunner.Result many = CommandRunner.run("inspect-weights", fixture("state_dict.pth"), "--arch", "tiny_resnet",
                "--classes", "2000000000");
        assertThat(many.out()).contains("against tiny_resnet (2000000000 classes)",
                "shape mismatch: fc.weight: file [2, 4], network [2000000000, 128]");
    }

    @Test
    void saysADirectoryIsADirectory() {
        CommandRunner.Result r = CommandRunner.run("inspect-weights", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains(tmp + ": is a directory, not a weights file (expected .safetensors, .npz",
                "a model folder keeps its weights in model.safetensors)").doesNotContain("no such file");
    }

    @Test
    void refusesAMaliciousPickleAndUnknownNames() throws Exception {
        CommandRunner.Result evil = CommandRunner.run("inspect-weights", fixture("malicious.pth"));
        assertThat(evil.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(evil.err()).contains("error: ", "malicious.pth: refused: the pickle asks for posix.system");

        CommandRunner.Result unknown = CommandRunner.run("inspect-weights", fixture("state_dict.pth"), "--arch", "alexnet");
        assertThat(unknown.exitCode()).as("an unknown --arch is bad usage").isEqualTo(Main.EXIT_USAGE);
        assertThat(unknown.err()).contains("unknown architecture 'alexnet'; known: resnet18");
    }
}
