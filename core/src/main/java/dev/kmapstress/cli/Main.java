package dev.kmapstress.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kmap-stress}: the command line. Exit codes follow picocli and locktorture: 0 success,
 * 1 a failed run (a test found a bug), 2 bad usage or input; and 74 (sysexits' EX_IOERR) when a
 * file could not be written, e.g. the results at the end of a run.
 */
@Command(name = "kmap-stress", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Stress-tests a Java model of the Linux kernel's highmem mapping (mm/highmem.c).",
        subcommands = {InfoCommand.class, BootCommand.class, RunCommand.class, ReportCommand.class,
                TortureCommand.class, CompareCommand.class, ListCommand.class,
                KernelCheckCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The command line with kmap-stress's conventions: bad usage or input is one line, exit 2. */
    public static CommandLine commandLine() {
        CommandLine main = new CommandLine(new Main())
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler(new ExecutionErrors());
        // Every command's help lists -V (mixinStandardHelpOptions); without a provider of its own it prints nothing.
        main.getSubcommands().values().forEach(c -> c.getCommandSpec().versionProvider(new Version()));
        return main;
    }

    public static void main(String[] args) {
        String missing = ClassPathCheck.missingEntries();
        if (!missing.isEmpty()) {
            System.err.println(missing);
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line {@code spec}'s command was run with, as an environment records it. */
    static String command(CommandLine.Model.CommandSpec spec) {
        CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        return "./kmap-stress" + (parsed == null ? " " + spec.name() : " " + String.join(" ", parsed.originalArgs()));
    }

    /** Reads the version and commit Maven wrote into the jar; names the JDK that runs it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/kmap-stress-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            String commit = built(p, "commit");
            String build = commit.equals("unknown") ? "commit unknown (not built from a git checkout)"
                    : "commit " + commit + ("true".equals(built(p, "dirty")) ? " with uncommitted changes" : "")
                            + ", " + built(p, "commit-time");
            return new String[] {
                "kmap-stress " + built(p, "version") + " (" + build + ")",
                "models Linux 6.1 mm/highmem.c",
                "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.vendor") + " "
                        + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ")"};
        }

        /** A property the build filled in, or "unknown" where it could not (no git, no filtering). */
        private static String built(Properties p, String key) {
            String v = p.getProperty(key, "");
            return v.isEmpty() || v.contains("${") ? "unknown" : v;
        }
    }

    /** Parse errors (unknown command or option, missing or bad value): one line, exit 2. */
    static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            return Errors.report(ex.getCommandLine(), Errors.describe(ex));
        }
    }

    /**
     * Bad input found while running (a config value, a file) is a usage error: one line, exit 2;
     * an I/O failure is one line too, with a status of its own.
     */
    static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (ex instanceof IllegalArgumentException) {
                return Errors.report(cmd, ex.getMessage());
            }
            if (ex instanceof IOException io) {
                return Errors.ioFailure(cmd, io);
            }
            throw new RuntimeException(ex);
        }
    }
}
