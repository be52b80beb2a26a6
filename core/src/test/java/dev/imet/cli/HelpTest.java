package dev.imet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help of every command reads alike: value labels that say what they take, one style for defaults. */
class HelpTest {
    @Test
    void everyOptionSaysWhatItTakesAndItsDefaultInOneStyle() {
        List<String> problems = new ArrayList<>();
        for (var entry : Main.commandLine().getSubcommands().entrySet()) {
            String command = entry.getKey();
            CommandLine.Model.CommandSpec spec = entry.getValue().getCommandSpec();
            String usage = entry.getValue().getUsageMessage();
            if (!usage.endsWith("\n")) {
                problems.add(command + ": the help does not end with a newline");
            }
            if (usage.contains("Default:")) {
                problems.add(command + ": a default in picocli's style (Default: ...), not (default: ...)");
            }
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                String description = String.join(" ", option.description()).strip();
                if (!description.endsWith(".")) {
                    problems.add(command + " " + option.longestName() + ": the description does not end a sentence");
                }
                if (option.arity().max() > 0 && option.paramLabel().startsWith("<")) {
                    problems.add(command + " " + option.longestName() + ": no value label (" + option.paramLabel() + ")");
                }
                if (option.type().isEnum() && !description.equals(description.replaceAll("[A-Z]{4,}", ""))) {
                    problems.add(command + " " + option.longestName() + ": enum values not as they are typed");
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
