package dev.imet.model;

import dev.imet.common.InputException;
import dev.imet.common.Printable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>The pickle itself is hostile too: a length it declares (of a string, bytes or a long integer) is refused
 * when it is longer than the whole pickle, before anything is allocated, and the data is read in chunks, so what
 * is allocated follows the bytes that are there; a long integer in text form has at most {@link #MAX_LONG_DIGITS}
 * digits (Java parses such text in quadratic time); APPENDS and POP_MARK take linear time (razorvine's trim a
 * list or the stack each time, quadratic over a long run); dict keys and set items must be hashable as in Python
 * (not a list, dict or set), which also keeps a deep or self-containing list from being hashed or printed.
 */
final class RestrictedUnpickler extends Unpickler {
    /** Far more than any number a state dict holds; PyTorch's legacy magic number has 25. */
    private static final int MAX_LONG_DIGITS = 100;
    /** A Java array holds what a length-prefixed opcode reads. */
    private static final long MAX_VALUE_BYTES = Integer.MAX_VALUE - 8;

    private final String source;
    private final Map<String, IObjectConstructor> globals;
    private final Function<Object, Object> persistentLoader;
    private final long pickleBytes;

    /**
     * @param source           what is being read, for messages (the file name)
     * @param globals          "module.name" → constructor: the only globals the pickle may use
     * @param persistentLoader resolves persistent ids (PyTorch's storage references); null refuses them
     * @param pickleBytes      the most bytes the pickle can have (its zip entry's or its file's size)
     */
    RestrictedUnpickler(String source, Map<String, IObjectConstructor> globals, Function<Object, Object> persistentLoader,
            long pickleBytes) {
        this.source = source;
        this.globals = globals;
        this.persistentLoader = persistentLoader;
        this.pickleBytes = pickleBytes;
    }

    /** True for what Python can hash: not a list, dict or set (a frozenset would be, but a state dict has none). */
    static boolean isHashable(Object o) {
        return !(o instanceof List<?> || o instanceof Map<?, ?> || o instanceof Set<?>);
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
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw refused("names a global by values of type " + typeOf(module) + " and " + typeOf(name));
                }
                stack.add(lookup(m, n));
            }
            case Opcodes.INST, Opcodes.OBJ -> throw refused("constructs an object by class (opcode "
                    + (opcode == Opcodes.INST ? "INST" : "OBJ") + ")");
            case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw refused("uses the extension registry");
            case Opcodes.BUILD -> {
                stack.pop();
                if (!(stack.peek() instanceof Map<?, ?>)) {
                    throw refused("sets the state of a value of type " + typeOf(stack.peek()));
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
                target().put(hashable(key), value);
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(target(), items);
            }
            case Opcodes.APPENDS -> {
                // razorvine trims the list after each APPENDS, which makes a long run of them quadratic
                List<Object> items = stack.pop_all_since_marker();
                list().addAll(items);
            }
            case Opcodes.POP_MARK -> stack.pop_all_since_marker(); // razorvine trims the whole stack: quadratic too
            case Opcodes.FROZENSET -> {
                List<Object> items = stack.pop_all_since_marker();
                items.forEach(this::hashable);
                stack.add(new HashSet<>(items));
            }
            case Opcodes.ADDITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                items.forEach(this::hashable);
                set().addAll(items);
            }
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(declaredBytes(int32())));
            case Opcodes.BINBYTES -> stack.add(declaredBytes(int32()));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(declaredBytes(int64()));
            case Opcodes.BINUNICODE -> stack.add(new String(declaredBytes(int32()), StandardCharsets.UTF_8));
            case Opcodes.BINUNICODE8 -> stack.add(new String(declaredBytes(int64()), StandardCharsets.UTF_8));
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(declaredBytes(int32())));
            case Opcodes.LONG -> stack.add(textLong(PickleUtils.readline(input)));
            default -> {
                return super.dispatch(opcode);
            }
        }
        return NO_RETURN_VALUE;
    }

    private long int32() throws IOException {
        return PickleUtils.bytes_to_integer(PickleUtils.readbytes(input, 4));
    }

    private long int64() throws IOException {
        return PickleUtils.bytes_to_long(PickleUtils.readbytes(input, 8), 0);
    }

    /** The next {@code length} bytes, a length the pickle declares: checked against the pickle's size first. */
    private byte[] declaredBytes(long length) throws IOException {
        if (length < 0 || length > Math.min(pickleBytes, MAX_VALUE_BYTES)) {
            throw malformed("a value of " + length + " bytes declared in a pickle of at most " + pickleBytes);
        }
        byte[] bytes = input.readNBytes((int) length);
        if (bytes.length != length) {
            throw new IOException("premature end of file");
        }
        return bytes;
    }

    private Number textLong(String text) {
        String digits = text.endsWith("L") ? text.substring(0, text.length() - 1) : text;
        if (digits.length() > MAX_LONG_DIGITS) {
            throw malformed("a long integer of " + digits.length() + " characters (at most " + MAX_LONG_DIGITS + ")");
        }
        return PickleUtils.optimizeBigint(new BigInteger(digits));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> target() {
        if (!(stack.peek() instanceof Map<?, ?> map)) {
            throw refused("sets items on a value of type " + typeOf(stack.peek()));
        }
        return (Map<Object, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list() {
        if (!(stack.peek() instanceof List<?> list)) {
            throw malformed("appends to a value of type " + typeOf(stack.peek()));
        }
        return (List<Object>) list;
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set() {
        if (!(stack.peek() instanceof Set<?> set)) {
            throw malformed("adds set items to a value of type " + typeOf(stack.peek()));
        }
        return (Set<Object>) set;
    }

    private Object hashable(Object key) {
        if (!isHashable(key)) {
            throw malformed("a dict key or set item of type " + typeOf(key) + " (Python cannot hash it)");
        }
        return key;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) {
        for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(hashable(items.get(i)), items.get(i + 1));
        }
    }

    private IObjectConstructor lookup(String module, String name) {
        IObjectConstructor constructor = globals.get(module + "." + name);
        if (constructor == null) {
            throw new InputException(source + ": refused: the pickle asks for " + Printable.of(module + "." + name)
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

    private InputException malformed(String what) {
        return new InputException(source + ": malformed pickle: " + what);
    }

    private InputException refused(String what) {
        return new InputException(source + ": refused: the pickle " + what
                + ", which a state dict never needs");
    }

    /** The Python type of an unpickled value, for messages. */
    static String typeOf(Object o) {
        return o == null ? "None"
                : o instanceof String ? "str"
                : o instanceof Boolean ? "bool"
                : o instanceof Integer || o instanceof Long || o instanceof BigInteger ? "int"
                : o instanceof Number ? "float"
                : o instanceof byte[] ? "bytes"
                : o instanceof Object[] ? "tuple"
                : o instanceof List<?> ? "list"
                : o instanceof Map<?, ?> ? "dict"
                : o instanceof Set<?> ? "set"
                : o instanceof IObjectConstructor ? "class or function"
                : o.getClass() == Object.class ? "mark" // the stack's marker
                : o.getClass().getSimpleName();
    }
}
