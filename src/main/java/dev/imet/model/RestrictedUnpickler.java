package dev.imet.model;

import dev.imet.common.InputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * An unpickler that knows only what a PyTorch state dict is made of. Every global the pickle names is looked up
 * in this instance's own table (razorvine's shared default table, which makes a stand-in object for any name, is
 * never consulted); a name outside the table stops the load with an InputException before anything is
 * constructed. Opcodes that build arbitrary objects (INST, OBJ, the extension registry) are refused likewise,
 * and BUILD is accepted only to drop the {@code _metadata} of an OrderedDict. Dicts keep their pickled order.
 */
final class RestrictedUnpickler extends Unpickler {
    private final String source;
    private final Map<String, IObjectConstructor> globals;
    private final Function<Object, Object> persistentLoader;

    /**
     * @param source           what is being read, for messages (the file name)
     * @param globals          "module.name" → constructor: the only globals the pickle may use
     * @param persistentLoader resolves persistent ids (PyTorch's storage references); null refuses them
     */
    RestrictedUnpickler(String source, Map<String, IObjectConstructor> globals, Function<Object, Object> persistentLoader) {
        this.source = source;
        this.globals = globals;
        this.persistentLoader = persistentLoader;
    }

    @Override
    protected Object dispatch(short opcode) throws IOException {
        switch (opcode) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(lookup(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(lookup(String.valueOf(module), String.valueOf(name)));
            }
            case Opcodes.INST, Opcodes.OBJ -> throw refused("constructs an object by class (opcode "
                    + (opcode == Opcodes.INST ? "INST" : "OBJ") + ")");
            case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw refused("uses the extension registry");
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                if (!(stack.peek() instanceof Map<?, ?>)) {
                    throw refused("sets the state of a " + describe(stack.peek()));
                }
                // OrderedDict state: PyTorch's _metadata (module versions); not needed for the tensors
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, items);
                stack.add(dict);
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object key = stack.pop();
                target().put(key, value);
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(target(), items);
            }
            default -> {
                return super.dispatch(opcode);
            }
        }
        return NO_RETURN_VALUE;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> target() {
        if (!(stack.peek() instanceof Map<?, ?> map)) {
            throw refused("sets items on a " + describe(stack.peek()));
        }
        return (Map<Object, Object>) map;
    }

    private static void putPairs(Map<Object, Object> dict, List<Object> items) {
        for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    private IObjectConstructor lookup(String module, String name) {
        IObjectConstructor constructor = globals.get(module + "." + name);
        if (constructor == null) {
            throw new InputException(source + ": refused: the pickle asks for " + module + "." + name
                    + "; a state dict needs only tensors, ordered dicts and torch's tensor rebuild functions");
        }
        return constructor;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (persistentLoader == null) {
            throw refused("uses a persistent id outside a PyTorch file");
        }
        return persistentLoader.apply(pid);
    }

    private InputException refused(String what) {
        return new InputException(source + ": refused: the pickle " + what
                + ", which a state dict never needs");
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
