package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The large files of {@code export_reference.py --weights} (hundreds of MB, so not in the repository) load and
 * give the script's logits. Runs only when pointed at them:
 * <pre>
 * /usr/bin/python3 shared/reference/export_reference.py /tmp/refw --classes 5 --size 64 --weights --arch resnet18 ...
 * mvn test -Dtest=ReferenceFilesTest -Dimet.reference.weights=/tmp/refw
 * </pre>
 */
class ReferenceFilesTest {
    private static final String PROPERTY = "imet.reference.weights";

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet34", "resnet50", "resnet101", "resnext50_32x4d",
        "seresnext50_32x4d", "seresnext101_32x4d"})
    void exportedFilesLoadAndGiveTheReferenceLogits(String arch) throws IOException {
        String dir = System.getProperty(PROPERTY);
        assumeTrue(dir != null, "set -D" + PROPERTY + "=DIR written by export_reference.py --weights");
        Path folder = Path.of(dir);
        assumeTrue(Files.exists(folder.resolve(arch + ".json")), "no " + arch + " in " + folder);
        JsonNode reference = new ObjectMapper().readTree(folder.resolve(arch + ".json").toFile());
        int classes = reference.get("classes").asInt();
        int size = reference.get("size").asInt();
        float[] input = ReferenceGenerator.input(2, size);
        for (String file : new String[] {arch + ".pth", arch + "_legacy.pth", arch + ".safetensors"}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = ModelRegistry.get(arch).buildInitialized(classes, manager);
                LoadReport report = PretrainedWeights.load(folder.resolve(file), block, null);
                assertThat(report.isExact()).as(file + ": " + report.problems()).isTrue();
                SameNetworkTest.assertMatches(SameNetworkTest.logits(block, manager, input, size), reference.get("logits"));
            }
        }
    }
}
