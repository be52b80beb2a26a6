package dev.imet.cli;

import dev.imet.model.ModelRegistry;
import java.util.Iterator;
import picocli.CommandLine;

/**
 * {@code --arch}: the registry's architectures as completion candidates and help text, and the converter that
 * refuses any other name as bad usage (exit 2) before any work.
 */
final class ArchNames implements Iterable<String>, CommandLine.ITypeConverter<String> {
    @Override
    public Iterator<String> iterator() {
        return ModelRegistry.names().iterator();
    }

    @Override
    public String convert(String value) {
        if (!ModelRegistry.names().contains(value)) {
            throw new CommandLine.TypeConversionException("unknown architecture '" + value + "'; known: "
                    + String.join(", ", ModelRegistry.names()));
        }
        return value;
    }
}
