package dev.imet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {
    @TempDir
    Path tmp;

    private static ModelInfo info(String arch, int classes) {
        List<String> labels = java.util.stream.IntStream.range(0, classes).mapToObj(i -> "tag::t" + i).toList();
        return new ModelInfo(arch, classes, labels, ModelRegistry.IMAGENET_INPUT.withSize(64), null, null);
    }

    @Test
    void savedWeightsLoadBackBitForBit() throws IOException {
        Path dir = tmp.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block saved = ModelRegistry.get("tiny_resnet").buildInitialized(3, manager);
            // non-trivial running statistics, so that they are checked too
            ReferenceGenerator.fill(StateDict.parameters(saved));
            ModelFolder.save(dir, saved, info("tiny_resnet", 3));

            Block loaded = ModelFolder.load(dir, manager);
            LinkedHashMap<String, Parameter> a = StateDict.parameters(saved);
            LinkedHashMap<String, Parameter> b = StateDict.parameters(loaded);
            assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
            for (String name : a.keySet()) {
                assertThat(b.get(name).getArray().toByteArray()).as(name).isEqualTo(a.get(name).getArray().toByteArray());
            }
            Path again = tmp.resolve("again");
            ModelFolder.save(again, loaded, info("tiny_resnet", 3));
            assertThat(Files.readAllBytes(again.resolve(ModelFolder.WEIGHTS_FILE)))
                    .isEqualTo(Files.readAllBytes(dir.resolve(ModelFolder.WEIGHTS_FILE)));
        }
        assertThat(dir).isDirectoryContaining("glob:**/model.safetensors").isDirectoryContaining("glob:**/model.json");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.safetensors", "model.json");
        }
    }

    @Test
    void weightsFileHasPyTorchNamesAndBatchNormCounters() {
        Path dir = tmp.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder.save(dir, ModelRegistry.get("tiny_resnet").buildInitialized(3, manager), info("tiny_resnet", 3));
        }
        LinkedHashMap<String, TensorData> tensors = SafeTensors.read(dir.resolve(ModelFolder.WEIGHTS_FILE));
        assertThat(tensors.keySet()).startsWith("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight");
        assertThat(tensors).containsKeys("layer2.0.downsample.0.weight", "layer2.0.downsample.1.num_batches_tracked",
                "fc.weight", "fc.bias");
        assertThat(tensors.get("bn1.num_batches_tracked")).isEqualTo(TensorData.scalarLong(0));
        assertThat(tensors.get("fc.weight").shape()).containsExactly(3, 128);
    }

    @Test
    void infoRoundTripsWithSnakeCaseKeys() throws IOException {
        ModelInfo info = info("resnet50", 2).withThresholds(Map.of("tag", 0.1, "culture", 0.28), 10);
        ModelFolder.writeInfo(tmp, info);
        JsonNode json = new ObjectMapper().readTree(tmp.resolve(ModelFolder.INFO_FILE).toFile());
        assertThat(json.fieldNames()).toIterable().containsExactly("arch", "num_classes", "labels", "image_size", "mean",
                "std", "thresholds", "max_labels");
        assertThat(json.get("mean").get(0).asText()).isEqualTo("0.485");
        ModelInfo back = ModelFolder.readInfo(tmp);
        assertThat(back.arch()).isEqualTo("resnet50");
        assertThat(back.labels()).containsExactly("tag::t0", "tag::t1");
        assertThat(back.input().mean()).containsExactly(ModelRegistry.IMAGENET_MEAN);
        assertThat(back.thresholds()).containsEntry("culture", 0.28).containsEntry("tag", 0.1);
        assertThat(back.maxLabels()).isEqualTo(10);

        ModelFolder.writeInfo(tmp, info("resnet50", 2));
        ModelInfo unvalidated = ModelFolder.readInfo(tmp);
        assertThat(unvalidated.thresholds()).isNull();
        assertThat(unvalidated.maxLabels()).isNull();
    }

    @Test
    void theRulesValidateChoseBeyondThresholdsRoundTripAndAreChecked() throws IOException {
        ModelInfo own = info("resnet18", 3).withRule(Map.of("tag", 0.1), 10, Map.of("tag::t2", 0.35), null);
        ModelFolder.writeInfo(tmp, own);
        assertThat(Files.readString(tmp.resolve(ModelFolder.INFO_FILE))).contains("\"label_thresholds\" : {",
                "\"tag::t2\" : 0.35").doesNotContain("labels_per_image");
        assertThat(ModelFolder.readInfo(tmp)).isEqualTo(own);
        ModelInfo count = info("resnet18", 3).withRule(Map.of("tag", 0.1), 8, null, new ModelInfo.LabelCount(1.35, -0.5));
        ModelFolder.writeInfo(tmp, count);
        assertThat(ModelFolder.readInfo(tmp)).isEqualTo(count);
        assertThat(ModelFolder.readInfo(tmp).withThresholds(Map.of("tag", 0.2), 8).labelCount()).isNull();

        String base = "{\"arch\": \"resnet18\", \"num_classes\": 1, \"labels\": [\"tag::a\"], \"image_size\": 64,"
                + " \"mean\": [0.5, 0.5, 0.5], \"std\": [0.2, 0.2, 0.2], \"thresholds\": {\"tag\": 0.1}, ";
        Path file = tmp.resolve(ModelFolder.INFO_FILE);
        Files.writeString(file, base + "\"label_thresholds\": {\"tag::b\": 0.2}}");
        assertThatThrownBy(() -> ModelFolder.readInfo(tmp)).isInstanceOf(InputException.class)
                .hasMessageContaining("label_thresholds names 'tag::b', which is not one of its labels");
        Files.writeString(file, base + "\"label_thresholds\": {\"tag::a\": 1.2}}");
        assertThatThrownBy(() -> ModelFolder.readInfo(tmp)).hasMessageContaining("must be in [0, 1]");
        Files.writeString(file, base + "\"labels_per_image\": {\"scale\": -1, \"offset\": 0}}");
        assertThatThrownBy(() -> ModelFolder.readInfo(tmp)).isInstanceOf(InputException.class)
                .hasMessageContaining("labels_per_image must be an object");
    }

    @Test
    void badInfoIsNamed() throws IOException {
        Path file = tmp.resolve(ModelFolder.INFO_FILE);
        Files.writeString(file, "{\"arch\": \"resnet18\", \"num_classes\": 3, \"labels\": [\"a\", \"b\"], "
                + "\"image_size\": 64, \"mean\": [0.5, 0.5, 0.5], \"std\": [0.2, 0.2, 0.2]}");
        assertThatThrownBy(() -> ModelFolder.readInfo(tmp)).isInstanceOf(InputException.class)
                .hasMessageContaining("model.json").hasMessageContaining("2 labels for num_classes 3");
        Files.writeString(file, "{\"arch\": \"resnet18\", \"num_classes\": 1, \"labels\": [\"a\"], \"mean\": [0, 0, 0], "
                + "\"std\": [1, 1, 1]}");
        assertThatThrownBy(() -> ModelFolder.readInfo(tmp)).isInstanceOf(InputException.class)
                .hasMessageContaining("missing field 'image_size'");
        assertThatThrownBy(() -> ModelFolder.readInfo(tmp.resolve("nowhere"))).isInstanceOf(InputException.class)
                .hasMessageContaining("not a model folder");
    }

    @Test
    void weightsOfAnotherNetworkAreRefusedWithTheirKeys() {
        Path dir = tmp.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder.save(dir, ModelRegistry.get("tiny_resnet").buildInitialized(3, manager), info("tiny_resnet", 3));
            Block other = ModelRegistry.get("tiny_resnet").buildInitialized(4, manager);
            assertThatThrownBy(() -> ModelFolder.loadWeights(dir, other)).isInstanceOf(InputException.class)
                    .hasMessageContaining("model.safetensors")
                    .hasMessageContaining("fc.weight: file [3, 128], network [4, 128]");
        }
    }

    @Test
    void pretrainedLoadSkipsAnotherClassifierAndReportsKeys() {
        Path dir = tmp.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block source = ModelRegistry.get("tiny_resnet").buildInitialized(3, manager);
            ReferenceGenerator.fill(StateDict.parameters(source));
            ModelFolder.save(dir, source, info("tiny_resnet", 3));
            Block target = ModelRegistry.get("tiny_resnet").buildInitialized(7, manager);
            float[] freshFc = StateDict.parameters(target).get("fc.weight").getArray().toFloatArray();

            LoadReport report = PretrainedWeights.load(dir.resolve(ModelFolder.WEIGHTS_FILE), target, null);
            assertThat(report.fits()).isTrue();
            assertThat(report.missing()).isEmpty();
            assertThat(report.unexpected()).isEmpty();
            assertThat(report.classifierMismatches()).extracting(LoadReport.Mismatch::name)
                    .containsExactly("fc.weight", "fc.bias");
            assertThat(StateDict.parameters(target).get("fc.weight").getArray().toFloatArray()).containsExactly(freshFc);
            assertThat(StateDict.parameters(target).get("layer4.0.conv2.weight").getArray().toFloatArray())
                    .containsExactly(StateDict.parameters(source).get("layer4.0.conv2.weight").getArray().toFloatArray());

            Block wider = ModelRegistry.get("resnet18").buildInitialized(3, manager);
            assertThatThrownBy(() -> PretrainedWeights.load(dir.resolve(ModelFolder.WEIGHTS_FILE), wider, null))
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("conv1.weight: file [16, 3, 7, 7], network [64, 3, 7, 7]");
        }
    }

    @Test
    void prefixMappingMatchesWrappedKeys() {
        Path file = tmp.resolve("wrapped.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block source = ModelRegistry.get("tiny_resnet").buildInitialized(3, manager);
            LinkedHashMap<String, TensorData> wrapped = new LinkedHashMap<>();
            StateDict.tensors(source).forEach((k, v) -> wrapped.put("module." + k, v));
            wrapped.put("module.extra.weight", TensorData.ofFloats(new long[] {1}, new float[] {1}));
            SafeTensors.write(file, wrapped, null);
            Block target = ModelRegistry.get("tiny_resnet").buildInitialized(3, manager);

            assertThatThrownBy(() -> PretrainedWeights.load(file, target, null)).isInstanceOf(InputException.class)
                    .hasMessageContaining("does not fit the network").hasMessageContaining("missing: conv1.weight")
                    .hasMessageContaining("--pretrained-partial");
            LoadReport unmapped = PretrainedWeights.loadPartial(file, target, null);
            assertThat(unmapped.loaded()).isEmpty();
            assertThat(unmapped.fits()).isFalse();

            assertThatThrownBy(() -> PretrainedWeights.load(file, target, "module.="))
                    .hasMessageContaining("unexpected: extra.weight");
            LoadReport mapped = PretrainedWeights.loadPartial(file, target, "module.=");
            assertThat(mapped.missing()).isEmpty();
            assertThat(mapped.unexpected()).containsExactly("extra.weight");
            assertThat(mapped.fits()).isFalse();
            assertThat(StateDict.parameters(target).get("conv1.weight").getArray().toFloatArray())
                    .containsExactly(StateDict.parameters(source).get("conv1.weight").getArray().toFloatArray());
        }
    }

    @Test
    void aBrokenOrHugeModelJsonIsOneClearLine() throws IOException {
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve(ModelFolder.INFO_FILE), "{\"arch\": \"resnet18\", oops");
        assertThatThrownBy(() -> ModelFolder.readInfo(broken)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(broken.resolve(ModelFolder.INFO_FILE) + ": not valid JSON: ")
                .hasMessageContaining("(line 1, column 22)").hasMessageNotContaining("Source").satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path huge = Files.createDirectories(tmp.resolve("huge"));
        try (var channel = java.nio.channels.FileChannel.open(huge.resolve(ModelFolder.INFO_FILE),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), ModelFolder.MAX_INFO_BYTES); // sparse
        }
        assertThatThrownBy(() -> ModelFolder.readInfo(huge)).isInstanceOf(InputException.class)
                .hasMessageContaining("more than a model description has");
    }
}
