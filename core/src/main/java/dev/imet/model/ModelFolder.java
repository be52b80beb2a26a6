package dev.imet.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import dev.imet.common.Printable;
import dev.imet.common.InputSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model folder (SPEC §3): {@code model.safetensors}, the state dict under PyTorch's names (what
 * {@code safetensors.torch.load_file} returns and {@code load_state_dict} takes), and {@code model.json}, what
 * the network is (arch, num_classes, labels, image_size, mean, std, and thresholds / max_labels once
 * validated, with label_thresholds {name: threshold} or labels_per_image {scale, offset} when validate chose them). Both files are written atomically; a folder written by Python with these two files loads here.
 */
public final class ModelFolder {
    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String INFO_FILE = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** model.json holds names and numbers: a file this large is something else, refused before it is parsed. */
    static final long MAX_INFO_BYTES = 64L << 20;

    private ModelFolder() {}

    /** Writes the block's weights, then its description. */
    public static void save(Path dir, Block block, ModelInfo info) {
        LinkedHashMap<String, TensorData> tensors = StateDict.tensors(block);
        TensorData classifier = tensors.get(ResNet.CLASSIFIER + ".weight");
        if (classifier != null && classifier.shape()[0] != info.numClasses()) {
            throw new IllegalArgumentException("the network has " + classifier.shape()[0] + " outputs, the info says "
                    + info.numClasses() + " classes");
        }
        SafeTensors.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt", "arch", info.arch()));
        writeInfo(dir, info);
    }

    public static void writeInfo(Path dir, ModelInfo info) {
        ObjectNode root = JSON.createObjectNode();
        root.put("arch", info.arch());
        root.put("num_classes", info.numClasses());
        ArrayNode labels = root.putArray("labels");
        info.labels().forEach(labels::add);
        root.put("image_size", info.input().size());
        ArrayNode mean = root.putArray("mean");
        for (float v : info.input().mean()) {
            mean.add(v);
        }
        ArrayNode std = root.putArray("std");
        for (float v : info.input().std()) {
            std.add(v);
        }
        if (info.thresholds() != null) {
            ObjectNode thresholds = root.putObject("thresholds");
            info.thresholds().forEach(thresholds::put);
        }
        if (info.maxLabels() != null) {
            root.put("max_labels", info.maxLabels());
        }
        if (info.labelThresholds() != null) {
            ObjectNode own = root.putObject("label_thresholds");
            info.labelThresholds().forEach(own::put);
        }
        if (info.labelCount() != null) {
            ObjectNode count = root.putObject("labels_per_image");
            count.put("scale", info.labelCount().scale());
            count.put("offset", info.labelCount().offset());
        }
        try {
            AtomicFiles.writeString(dir.resolve(INFO_FILE), JSON.writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and checks {@code model.json}; an InputException naming the file and field on anything wrong. */
    public static ModelInfo readInfo(Path dir) {
        Path file = dir.resolve(INFO_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InputException(dir + ": not a model folder (no " + INFO_FILE + ")");
        }
        JsonNode root;
        try {
            if (Files.size(file) > MAX_INFO_BYTES) {
                throw new InputException(file + ": " + Files.size(file) + " bytes, more than a model description has"
                        + " (at most " + MAX_INFO_BYTES + ")");
            }
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InputException(file + ": not valid JSON: " + Printable.of(e.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InputException(file + ": not a JSON object");
        }
        String arch = text(file, root, "arch");
        int numClasses = positiveInt(file, root, "num_classes");
        List<String> labels = new ArrayList<>();
        for (JsonNode label : array(file, root, "labels")) {
            if (!label.isTextual()) {
                throw new InputException(file + ": labels must be strings, found " + label);
            }
            labels.add(label.asText());
        }
        if (labels.size() != numClasses) {
            throw new InputException(file + ": " + labels.size() + " labels for num_classes " + numClasses);
        }
        int imageSize = positiveInt(file, root, "image_size");
        float[] mean = rgb(file, root, "mean", false);
        float[] std = rgb(file, root, "std", true);
        Map<String, Double> thresholds = numbers(file, root, "thresholds", "group");
        Integer maxLabels = null;
        JsonNode m = root.get("max_labels");
        if (m != null && !m.isNull()) {
            maxLabels = positiveInt(file, root, "max_labels");
        }
        Map<String, Double> labelThresholds = numbers(file, root, "label_thresholds", "label");
        if (labelThresholds != null) {
            for (Map.Entry<String, Double> e : labelThresholds.entrySet()) {
                if (!labels.contains(e.getKey())) {
                    throw new InputException(file + ": label_thresholds names '" + Printable.of(e.getKey())
                            + "', which is not one of its labels");
                }
                if (!(e.getValue() >= 0 && e.getValue() <= 1)) {
                    throw new InputException(file + ": the threshold of label '" + Printable.of(e.getKey())
                            + "' must be in [0, 1], found " + e.getValue());
                }
            }
        }
        ModelInfo.LabelCount labelCount = null;
        JsonNode count = root.get("labels_per_image");
        if (count != null && !count.isNull()) {
            JsonNode scale = count.get("scale");
            JsonNode offset = count.get("offset");
            if (!count.isObject() || scale == null || !scale.isNumber() || !(scale.asDouble() > 0)
                    || offset == null || !offset.isNumber()) {
                throw new InputException(file + ": labels_per_image must be an object {\"scale\": a positive number,"
                        + " \"offset\": a number}, found " + count);
            }
            labelCount = new ModelInfo.LabelCount(scale.asDouble(), offset.asDouble());
        }
        return new ModelInfo(arch, numClasses, labels, new InputSpec(imageSize, mean, std), thresholds, maxLabels,
                labelThresholds, labelCount);
    }

    /** An optional object {key: number} ({@code what} names its keys in messages); null when absent. */
    private static Map<String, Double> numbers(Path file, JsonNode root, String name, String what) {
        JsonNode t = root.get(name);
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isObject()) {
            throw new InputException(file + ": " + name + " must be an object {" + what + ": threshold}");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new InputException(file + ": threshold of '" + Printable.of(e.getKey()) + "' is not a number");
            }
            values.put(e.getKey(), e.getValue().asDouble());
        }
        return values;
    }

    /** Loads {@code model.safetensors} into the block; every parameter must be there with its shape. */
    public static void loadWeights(Path dir, Block initializedBlock) {
        Path file = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InputException(dir + ": not a model folder (no " + WEIGHTS_FILE + ")");
        }
        LinkedHashMap<String, TensorData> tensors = SafeTensors.read(file);
        LinkedHashMap<String, Parameter> parameters = StateDict.parameters(initializedBlock);
        LoadReport report = PretrainedWeights.compare(file, tensors, PretrainedWeights.shapes(parameters));
        if (!report.isExact()) {
            throw new InputException(file + ": does not match the network: " + LoadReport.describe(report.problems()));
        }
        PretrainedWeights.apply(report, tensors, parameters);
    }

    /** The folder's network, built from its {@code model.json} and loaded with its weights, computing in float32. */
    public static Block load(Path dir, NDManager manager) {
        return load(dir, manager, Precision.FP32);
    }

    /** The folder's network computing at {@code precision} (the weights are float32 either way). */
    public static Block load(Path dir, NDManager manager, Precision precision) {
        ModelInfo info = readInfo(dir);
        Block block = ModelRegistry.get(info.arch())
                .buildInitialized(info.numClasses(), info.input().size(), manager, precision);
        loadWeights(dir, block);
        return block;
    }

    private static JsonNode field(Path file, JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new InputException(file + ": missing field '" + name + "'");
        }
        return node;
    }

    private static String text(Path file, JsonNode root, String name) {
        JsonNode node = field(file, root, name);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InputException(file + ": field '" + name + "' must be a non-empty string");
        }
        return node.asText();
    }

    private static int positiveInt(Path file, JsonNode root, String name) {
        JsonNode node = field(file, root, name);
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
            throw new InputException(file + ": field '" + name + "' must be a positive integer, found " + node);
        }
        return node.asInt();
    }

    private static JsonNode array(Path file, JsonNode root, String name) {
        JsonNode node = field(file, root, name);
        if (!node.isArray()) {
            throw new InputException(file + ": field '" + name + "' must be an array");
        }
        return node;
    }

    private static float[] rgb(Path file, JsonNode root, String name, boolean positive) {
        JsonNode node = array(file, root, name);
        if (node.size() != 3) {
            throw new InputException(file + ": field '" + name + "' must hold 3 numbers (R, G, B)");
        }
        float[] values = new float[3];
        for (int i = 0; i < 3; i++) {
            if (!node.get(i).isNumber() || (positive && node.get(i).asDouble() <= 0)) {
                throw new InputException(file + ": field '" + name + "' must hold 3 " + (positive ? "positive " : "")
                        + "numbers, found " + node);
            }
            values[i] = (float) node.get(i).asDouble();
        }
        return values;
    }
}
