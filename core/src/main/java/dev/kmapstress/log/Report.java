package dev.kmapstress.log;

import java.util.List;

/**
 * One report in the kernel log: its kind, the CPU it came from (-1 for none), when, and the
 * lines the kernel would print, first line first.
 */
public record Report(ReportKind kind, int cpu, long nanosSinceBoot, List<String> lines) {

    public Report {
        lines = List.copyOf(lines);
    }

    /** The first line, the one a reader greps for. */
    public String headline() {
        return lines.get(0);
    }

    /** All lines joined by newlines. */
    public String text() {
        return String.join("\n", lines);
    }
}
