package dev.imet.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.imet.common.AtomicFiles;
import dev.imet.common.InputException;
import java.io.IOException;
import java.nio.file.Path;

/** {@code config.json} of a run: the resolved {@link TrainConfig} and its {@link Provenance}. */
public final class RunConfigFile {
    /** What the file holds. */
    public record Content(TrainConfig config, Provenance provenance) {}

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule()
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
                    }));

    private RunConfigFile() {}

    public static void write(Path file, Content content) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(content) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Content read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Content.class);
        } catch (IOException e) {
            throw new InputException(file + ": not a run configuration (" + e.getMessage() + ")", e);
        }
    }
}
