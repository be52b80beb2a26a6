package dev.imet.cli;

import dev.imet.model.ModelRegistry;
import java.util.Iterator;

/** Completion candidates and help text of {@code --arch}: the registry's architectures. */
final class ArchNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return ModelRegistry.names().iterator();
    }
}
