package dev.imet.cli;

import dev.imet.common.InputException;
import dev.imet.common.ToolVersion;
import dev.imet.common.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/imet}: the subcommands of SPEC §8. Exit codes: 0 ok, 1 bad input, 2 bad usage. */
@Command(
        name = "imet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Multi-label image classification in the iMet Collection 2019 layout (DJL + PyTorch).",
        subcommands = {
            SampleDataCommand.class,
            CheckDataCommand.class,
            MakeFoldsCommand.class,
            TrainCommand.class,
            ValidateCommand.class,
            PredictTestCommand.class,
            PredictValidCommand.class,
            MakeSubmissionCommand.class,
            ScoreCommand.class,
            InspectWeightsCommand.class,
            BenchmarkCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** Builds the command line with the project's error handling; tests call this too. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InputException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                commandLine.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof UsageException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                commandLine.getErr().println("see: imet " + commandLine.getCommandName() + " --help");
                commandLine.getErr().flush();
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The tool version, from the jar manifest or the build's properties. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"imet " + ToolVersion.get()};
        }
    }
}
