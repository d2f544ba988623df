package dev.kmapstress.scenario;

/**
 * A script that does not parse: one line naming the source, the line number, the offending word
 * and what was expected there, e.g.
 * {@code race.scenario:4: 'kmapp': expected an operation (kmap, kunmap, ...)}. An
 * IllegalArgumentException, so the CLI reports it as bad input (exit 2).
 */
public final class ScriptException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;

    ScriptException(String source, int line, String word, String expected) {
        super(source + (line > 0 ? ":" + line : "") + ": '" + word + "': " + expected);
        this.line = line;
    }

    /** The line number the error is on (0 for a --set override). */
    public int line() {
        return line;
    }
}
