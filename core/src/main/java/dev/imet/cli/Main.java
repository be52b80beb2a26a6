package dev.imet.cli;

import dev.imet.common.InputException;
import dev.imet.common.ToolVersion;
import dev.imet.common.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
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
            LrFindCommand.class,
            ValidateCommand.class,
            PredictTestCommand.class,
            PredictValidCommand.class,
            MakeSubmissionCommand.class,
            ScoreCommand.class,
            InspectWeightsCommand.class,
            BenchmarkCommand.class,
            RunsCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, also print its stack trace (for a bug report).")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** Builds the command line with the project's error handling; tests call this too. */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + oneLine(ex));
            if (ex instanceof UsageException) {
                err.println("see: imet " + commandLine.getCommandName() + " --help");
            }
            if (main.debug) {
                ex.printStackTrace(err);
            } else if (!(ex instanceof InputException || ex instanceof UsageException || isIo(ex))) {
                err.println("(an internal error: run again with --debug for the stack trace, and report it)");
            }
            err.flush();
            return ex instanceof UsageException ? EXIT_USAGE : EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** The failure in one line: the message of a foreseen failure, the exception and its message otherwise. */
    static String oneLine(Exception ex) {
        if (ex instanceof InputException || ex instanceof UsageException) {
            return ex.getMessage();
        }
        if (isIo(ex)) {
            Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
            String message = ex.getMessage();
            if (cause instanceof FileSystemException fs && fs.getFile() != null
                    && (message == null || !message.contains(fs.getFile()))) {
                message = fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : cause.getClass().getSimpleName());
            }
            return message != null ? message : cause.getClass().getSimpleName();
        }
        String message = ex.getMessage();
        return ex.getClass().getSimpleName() + (message != null ? ": " + message.lines().findFirst().orElse("") : "");
    }

    private static boolean isIo(Exception ex) {
        return ex instanceof UncheckedIOException || ex instanceof IOException;
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
