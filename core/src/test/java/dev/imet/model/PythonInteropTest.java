package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders cross to PyTorch and back: a folder the tool wrote loads into torchvision (strict) and gives our
 * logits; a folder Python wrote loads here and gives PyTorch's logits. Runs only where Debian's python3 has
 * torch and torchvision (apt-get install python3-torch python3-torchvision); skipped elsewhere.
 */
class PythonInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    @Test
    void modelFoldersCrossBetweenJavaAndPyTorch() throws Exception {
        assumeTrue(torchAvailable(), "needs /usr/bin/python3 with torch and torchvision");
        Path javaFolder = tmp.resolve("java");
        Path pythonFolder = tmp.resolve("python");
        Path out = tmp.resolve("out.npz");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block saved = ModelRegistry.get("resnet18").buildInitialized(3, manager);
            ReferenceGenerator.fill(StateDict.parameters(saved));
            ModelFolder.save(javaFolder, saved, new ModelInfo("resnet18", 3, List.of("a", "b", "c"),
                    ModelRegistry.IMAGENET_INPUT.withSize(32), null, null));

            run(script().toString(), javaFolder.toString(), pythonFolder.toString(), out.toString());
            Map<String, TensorData> arrays = NumpyArchive.read(out);
            float[] input = arrays.get("input").toFloats();

            assertClose(SameNetworkTest.logits(saved, manager, input, 32), arrays.get("java_logits").toFloats());
            float[] bf16 = SameNetworkTest.logits(ModelFolder.load(javaFolder, manager, Precision.BF16), manager, input, 32);
            assertBf16Close(bf16, arrays.get("java_logits_bf16").toFloats(), arrays.get("java_logits").toFloats());
            Block fromPython = ModelFolder.load(pythonFolder, manager);
            assertThat(ModelFolder.readInfo(pythonFolder).labels()).containsExactly("a", "b", "c");
            assertClose(SameNetworkTest.logits(fromPython, manager, input, 32), arrays.get("python_logits").toFloats());
        }
    }

    /**
     * Our bfloat16 forward against PyTorch's CPU autocast on the same weights: its error against float32 at most
     * 1.5 times autocast's (measured: 0.017 against 0.040 on logits near 1), within 5 % of the largest logit of
     * autocast's result (bfloat16 has 8 significant bits; the engines differ in oneDNN version and in where
     * rounding falls), and not the float32 result (the casts happen).
     */
    private static void assertBf16Close(float[] actual, float[] autocast, float[] fp32) {
        assertThat(actual).hasSameSizeAs(autocast);
        float largest = 1;
        double ours = 0;
        double theirs = 0;
        for (int i = 0; i < autocast.length; i++) {
            largest = Math.max(largest, Math.abs(autocast[i]));
            ours = Math.max(ours, Math.abs(actual[i] - fp32[i]));
            theirs = Math.max(theirs, Math.abs(autocast[i] - fp32[i]));
        }
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("bf16 logit %d", i).isCloseTo(autocast[i], org.assertj.core.data.Offset.offset(5e-2f * largest));
        }
        assertThat(ours).as("bf16 error against fp32").isPositive().isLessThanOrEqualTo(1.5 * theirs);
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        float largest = 1;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f * largest));
        }
    }

    private static Path script() throws URISyntaxException {
        return Path.of(PythonInteropTest.class.getResource("/interop/torch_interop.py").toURI());
    }

    private static boolean torchAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, torchvision")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = PYTHON.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
