package dev.imet.model;

import dev.imet.common.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renames the keys of a weights file before they are matched: {@code "module.=,backbone.=model."} turns
 * {@code module.conv1.weight} into {@code conv1.weight} and {@code backbone.fc.bias} into {@code model.fc.bias}.
 * Rules are tried in order; the first whose OLD prefix starts the key applies (an empty OLD adds NEW to every key).
 */
public record PrefixMapping(List<Rule> rules) {
    /** Replace a leading {@code from} with {@code to}. */
    public record Rule(String from, String to) {}

    public static final PrefixMapping NONE = new PrefixMapping(List.of());

    public PrefixMapping {
        rules = List.copyOf(rules);
    }

    /** Parses "old=new,old2=new2"; null or blank means no renaming. */
    public static PrefixMapping parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new InputException("prefix mapping '" + spec + "': '" + part + "' is not OLD=NEW"
                        + " (example: module.=,backbone.=)");
            }
            rules.add(new Rule(part.substring(0, eq).trim(), part.substring(eq + 1).trim()));
        }
        return new PrefixMapping(rules);
    }

    public String apply(String key) {
        for (Rule rule : rules) {
            if (key.startsWith(rule.from())) {
                return rule.to() + key.substring(rule.from().length());
            }
        }
        return key;
    }
}
