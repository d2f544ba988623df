package dev.kmapstress.torture;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where a torture run writes what it has to say while it runs: its start line, the statistics
 * lines of every interval, kernel reports as they happen, the summary and the end line; and,
 * on a terminal, a progress bar.
 */
public interface RunOutput {

    /** Prints lines, in order, as one block. */
    void print(List<String> lines);

    /** Shows progress (a terminal's progress bar); plain output ignores it. */
    default void progress(long elapsedNanos, long totalNanos, double mapsPerSecond) {
    }

    /** Ends the output (removes a progress bar). */
    default void close() {
    }

    /** Plain lines on {@code out}, for pipes, files, {@code --quiet} and tests. */
    static RunOutput plain(PrintWriter out) {
        return lines -> {
            synchronized (out) {
                lines.forEach(out::println);
                out.flush();
            }
        };
    }

    /** Nothing at all (compare prints its own line per run). */
    static RunOutput silent() {
        return lines -> { };
    }
}
