package dev.imet.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code config.json} of a run: a {@code format} version, the resolved {@link TrainConfig} and its
 * {@link Provenance}. Reading is strict, because {@code --resume} trusts it: a file of another format, an unknown
 * key, a missing key or a value of the wrong type is an error naming the key, never a silent default.
 */
public final class RunConfigFile {
    /** The format this version writes; bump it when a key changes meaning, name or place. */
    public static final int FORMAT = 2;
    /**
     * The older format this version still reads: format 1 had no {@code config.execution} (precision and memory
     * format), and its runs computed in float32 with channels-last input, which is what reading fills in.
     */
    static final int FORMAT_1 = 1;
    static final String FORMAT_1_EXECUTION_CHOSEN = "fixed (before --precision and --memory-format)";

    /** What the file holds. */
    public record Content(
            @JsonProperty("config") TrainConfig config,
            @JsonProperty("provenance") Provenance provenance) {}

    /** The file's top level: the format first, so that a reader can tell before reading the rest. */
    private record Versioned(
            @JsonProperty("format") int format,
            @JsonProperty("config") TrainConfig config,
            @JsonProperty("provenance") Provenance provenance) {}

    /**
     * Keys added after the first files of their format were written, with the value that means what those files
     * did (no asymmetric-loss parameters, no moving average, PyTorch's initialisation of the head): filled in when
     * a file lacks them, so that older run folders still read. Every other missing key is an error.
     */
    private static final List<AddedKey> ADDED_KEYS = List.of(
            new AddedKey(List.of("config", "objective"), "asl", NullNode.getInstance()),
            new AddedKey(List.of("config", "optimizer"), "ema_decay", DoubleNode.valueOf(0)),
            new AddedKey(List.of("config", "optimizer"), "ema_warmup", BooleanNode.TRUE),
            new AddedKey(List.of("config", "network"), "head_bias", NullNode.getInstance()),
            new AddedKey(List.of("config", "network"), "head_bias_prior", BooleanNode.FALSE),
            // runs before --small-convolutions ran every convolution direct
            new AddedKey(List.of("config", "execution"), "small_convolutions", TextNode.valueOf("direct")),
            // runs before the engine's environment variables were recorded: not known
            new AddedKey(List.of("provenance"), "engine_environment", NullNode.getInstance()));

    private record AddedKey(List<String> parent, String name, JsonNode value) {}

    private static final Pattern MISSING = Pattern.compile("^Missing (required )?creator property");

    /** Explicit keys only, strict on reading. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(MapperFeature.AUTO_DETECT_GETTERS, MapperFeature.AUTO_DETECT_IS_GETTERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .addModule(new SimpleModule()
                    .addSerializer(Path.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Path p, JsonGenerator g, SerializerProvider s) throws IOException {
                            g.writeString(p.toString());
                        }
                    })
                    .addDeserializer(Path.class, new JsonDeserializer<>() {
                        @Override
                        public Path deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return Path.of(p.getValueAsString());
                        }
                    }))
            .build();

    private RunConfigFile() {}

    public static void write(Path file, Content content) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(
                    new Versioned(FORMAT, content.config(), content.provenance())) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Content read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new InputException(file + ": not a run configuration (expected a JSON object)");
        }
        JsonNode format = root.get("format");
        if (format == null) {
            throw new InputException(file + ": no 'format' key: not a run configuration of this version of imet"
                    + " (it reads formats " + FORMAT_1 + " and " + FORMAT + ")");
        }
        if (!format.isInt() || format.asInt() != FORMAT && format.asInt() != FORMAT_1) {
            throw new InputException(file + ": format " + format + " is not one this version of imet reads (it reads"
                    + " formats " + FORMAT_1 + " and " + FORMAT + ")");
        }
        fillAddedKeys(root);
        if (format.asInt() == FORMAT_1 && root.path("config") instanceof ObjectNode config && !config.has("execution")) {
            ObjectNode execution = config.putObject("execution");
            execution.put("precision", "fp32").put("memory_format", "channels-last").put("small_convolutions", "direct")
                    .put("chosen", FORMAT_1_EXECUTION_CHOSEN);
        }
        try {
            Versioned v = JSON.treeToValue(root, Versioned.class);
            return new Content(v.config(), v.provenance());
        } catch (JsonMappingException e) {
            throw new InputException(file + ": " + describe(e, root), e);
        } catch (IOException e) {
            throw new InputException(file + ": not a run configuration (" + e.getMessage() + ")", e);
        }
    }

    private static void fillAddedKeys(JsonNode root) {
        for (AddedKey key : ADDED_KEYS) {
            JsonNode parent = root;
            for (String name : key.parent()) {
                parent = parent.path(name);
            }
            if (parent instanceof ObjectNode object && !object.has(key.name())) {
                object.set(key.name(), key.value());
            }
        }
    }

    /**
     * The configuration as dotted keys and their JSON values ({@code optimizer.lr} = {@code 0.001}), in file order:
     * what a comparison of runs lines up.
     */
    public static LinkedHashMap<String, String> flatten(TrainConfig config) {
        LinkedHashMap<String, String> flat = new LinkedHashMap<>();
        flatten("", JSON.valueToTree(config), flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), flat);
            }
        } else {
            flat.put(prefix, node.isTextual() ? node.asText() : node.toString());
        }
    }

    /** One line naming the key at fault, as a dotted path from the top ({@code config.optimizer.lr}). */
    private static String describe(JsonMappingException e, JsonNode root) {
        String path = dotted(e.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + path + "'" + (unknown.getKnownPropertyIds() == null ? ""
                    : " (known here: " + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", ")) + ")");
        }
        if (MISSING.matcher(e.getOriginalMessage()).find()) {
            // Jackson reports a missing key before an unknown one at the same place: a misspelt key is both
            String unknown = unknownKeyBeside(root, e);
            return unknown != null ? "unknown key '" + unknown + "'" : "missing key '" + path + "'";
        }
        if (e instanceof InvalidFormatException bad) {
            return "key '" + path + "': " + bad.getValue() + " is not a valid " + bad.getTargetType().getSimpleName();
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException invalid) {
            return "key '" + path + "': " + invalid.getMessage();
        }
        return "key '" + path + "': " + e.getOriginalMessage();
    }

    private static String dotted(List<JsonMappingException.Reference> references) {
        return references.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** A key of the object that lacks the missing one that its record does not know, as a dotted path, or null. */
    private static String unknownKeyBeside(JsonNode root, JsonMappingException missing) {
        List<JsonMappingException.Reference> refs = missing.getPath();
        if (refs.isEmpty() || !(refs.get(refs.size() - 1).getFrom() instanceof Class<?> type)) {
            return null;
        }
        JsonNode object = root;
        for (JsonMappingException.Reference ref : refs.subList(0, refs.size() - 1)) {
            object = ref.getFieldName() != null ? object.path(ref.getFieldName()) : object.path(ref.getIndex());
        }
        Set<String> known = JSON.getDeserializationConfig().introspect(JSON.constructType(type)).findProperties()
                .stream().map(BeanPropertyDefinition::getName).collect(Collectors.toSet());
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String parent = dotted(refs.subList(0, refs.size() - 1));
                return parent.isEmpty() ? name : parent + "." + name;
            }
        }
        return null;
    }
}
