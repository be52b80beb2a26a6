package dev.imet.spark;

import dev.imet.common.InputException;
import dev.imet.common.ToolVersion;
import dev.imet.common.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/imet-spark} and of the job's jar under {@code spark-submit}. Exit codes as imet's:
 * 0 ok, 1 bad input, 2 bad usage.
 */
@Command(name = "imet-spark", mixinStandardHelpOptions = true, versionProvider = ImetSpark.Version.class,
        description = "Run a model folder over an image collection on Apache Spark.",
        subcommands = {PredictCommand.class, CommandLine.HelpCommand.class})
public final class ImetSpark implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_BAD_INPUT = 1;
    static final int EXIT_USAGE = 2;
    /** This module's log settings: Spark at WARN. */
    static final String LOG_CONFIG = "imet-spark-log4j2.properties";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, also print its stack trace (for a bug report).")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** The command line with imet's error handling: one "error:" line, a stack trace only with --debug. */
    static CommandLine commandLine() {
        ImetSpark main = new ImetSpark();
        CommandLine cl = new CommandLine(main);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + oneLine(ex));
            if (ex instanceof UsageException) {
                err.println("see: imet-spark " + commandLine.getCommandName() + " --help");
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

    static String oneLine(Exception ex) {
        if (ex instanceof InputException || ex instanceof UsageException || isIo(ex)) {
            return String.valueOf(ex.getMessage());
        }
        String message = ex.getMessage();
        return ex.getClass().getSimpleName() + (message != null ? ": " + message.lines().findFirst().orElse("") : "");
    }

    private static boolean isIo(Exception ex) {
        return ex instanceof UncheckedIOException || ex instanceof IOException;
    }

    public static void main(String[] args) {
        quietLogs();
        System.exit(commandLine().execute(args));
    }

    /**
     * Spark's log at WARN, unless log4j is configured otherwise (a cluster's own log4j2.properties, or
     * -Dlog4j2.configurationFile): set before anything logs. Under spark-submit Spark has set up its defaults
     * (INFO) by then; {@link PredictCommand} lowers them once the session runs.
     */
    static void quietLogs() {
        if (!logsConfigured()) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
    }

    /** Whether the user or the cluster configured log4j (then it is left alone). */
    static boolean logsConfigured() {
        String given = System.getProperty("log4j2.configurationFile");
        ClassLoader loader = ImetSpark.class.getClassLoader();
        return given != null && !given.equals(LOG_CONFIG)
                || loader.getResource("log4j2.properties") != null || loader.getResource("log4j2.xml") != null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"imet-spark " + ToolVersion.get()};
        }
    }
}
