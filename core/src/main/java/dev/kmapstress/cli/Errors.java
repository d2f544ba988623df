package dev.kmapstress.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How the command line refuses input: one line on standard error, {@code COMMAND: what was
 * wrong; what is allowed; try 'kmap-stress COMMAND --help'}, exit 2. Echoed input is cut to
 * {@value #ECHO_LIMIT} characters, so a 5 MB line pasted by mistake does not come back whole.
 */
final class Errors {

    /** Exit status of bad usage or input (picocli's and locktorture's convention). */
    static final int USAGE = 2;
    /**
     * Exit status of a file that could not be written or read while running (sysexits'
     * EX_IOERR): not 1, a run's FAILURE, nor 2, since the input was fine.
     */
    static final int IO = 74;
    /** Longest piece of the user's input a message repeats. */
    static final int ECHO_LIMIT = 80;

    /** A quoted echo ('...') or an unbroken run of characters, either longer than the limit. */
    private static final Pattern LONG_ECHO = Pattern.compile("'[^'\\n]{" + (ECHO_LIMIT + 1) + ",}'|[^\\s:;,'()]{"
            + (ECHO_LIMIT + 1) + ",}");

    private Errors() {
    }

    /** Prints the one line for {@code problem} met by {@code cmd}; returns the exit status. */
    static int report(CommandLine cmd, String problem) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + cut(problem) + "; try '"
                + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return USAGE;
    }

    /** Prints the one line for an I/O failure met by {@code cmd}; returns the exit status. */
    static int ioFailure(CommandLine cmd, IOException e) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandName() + ": " + cut(e.getMessage() != null ? e.getMessage() : e.toString()));
        err.flush();
        return IO;
    }

    /** The problem picocli found, in our words: unknown commands and options list what exists. */
    static String describe(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (!cmd.getSubcommands().isEmpty() && !arg.startsWith("-")) {
                return "unknown command '" + arg + "'; commands: " + String.join(", ", cmd.getSubcommands().keySet());
            }
            if (arg.startsWith("-")) {
                List<String> near = u.getSuggestions();
                return "unknown option '" + arg + "'; " + (near.isEmpty()
                        ? "options: " + cmd.getCommandSpec().options().stream().map(OptionSpec::longestName)
                                .collect(Collectors.joining(", "))
                        : "did you mean " + String.join(" or ", near) + "?");
            }
            return "unexpected argument '" + arg + "'; " + cmd.getCommandName() + " takes "
                    + (cmd.getCommandSpec().positionalParameters().isEmpty() ? "options only"
                            : "at most " + cmd.getCommandSpec().positionalParameters().size() + " argument(s)");
        }
        // picocli's sentences ("Unknown subcommand 'x'.") become a clause of the one line.
        String m = ex.getMessage().replaceFirst("\\.$", "");
        return m.isEmpty() ? m : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
    }

    /** {@code message} with every over-long piece of echoed input cut to the limit. */
    static String cut(String message) {
        Matcher m = LONG_ECHO.matcher(message.replace('\n', ' '));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String echo = m.group();
            boolean quoted = echo.startsWith("'");
            String body = quoted ? echo.substring(1, echo.length() - 1) : echo;
            String shortened = body.substring(0, ECHO_LIMIT) + "... (" + body.length() + " characters)";
            m.appendReplacement(sb, Matcher.quoteReplacement(quoted ? "'" + shortened + "'" : shortened));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
