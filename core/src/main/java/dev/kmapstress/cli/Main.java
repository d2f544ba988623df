package dev.kmapstress.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kmap-stress}: the command line. Exit codes follow picocli and locktorture: 0 success,
 * 1 a failed run (a test found a bug), 2 bad usage or input.
 */
@Command(name = "kmap-stress", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Stress-tests a Java model of the Linux kernel's highmem mapping (mm/highmem.c).",
        subcommands = {InfoCommand.class, BootCommand.class, RunCommand.class, ReportCommand.class,
                TortureCommand.class, CompareCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The command line with kmap-stress's conventions (exit 2 on bad usage). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new ExecutionErrors());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line {@code spec}'s command was run with, as an environment records it. */
    static String command(CommandLine.Model.CommandSpec spec) {
        CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        return "./kmap-stress" + (parsed == null ? " " + spec.name() : " " + String.join(" ", parsed.originalArgs()));
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/kmap-stress-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"kmap-stress " + p.getProperty("version", "unknown")
                    + " (models Linux 6.1 mm/highmem.c) on Java " + System.getProperty("java.version")};
        }
    }

    /** Bad input found while running (a config value, a file) is a usage error: one line, exit 2. */
    static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw new RuntimeException(ex);
        }
    }
}
