package dev.kmapstress.torture;

import dev.kmapstress.log.ReportKind;
import java.util.List;

/**
 * One failure of a torture run: a report in the machine's kernel log (an oops, a WARN, a
 * lockup, a hung task, a data mismatch) or an error of the harness itself.
 *
 * @param atNanos     when it happened, from the start of the run
 * @param kind        the report's kind; null for an error of the harness
 * @param cpu         the CPU it came from, -1 for none
 * @param lines       the report as the kernel words it
 * @param stuckNanos  for a hang (hung task, lockup): how long the task or CPU had been stuck
 *                    when it was reported; -1 otherwise
 * @param state       the machine's state and every worker's stack when a hang was reported;
 *                    empty otherwise
 */
public record Failure(long atNanos, ReportKind kind, int cpu, List<String> lines, long stuckNanos,
        List<String> state) {

    public Failure {
        lines = List.copyOf(lines);
        state = List.copyOf(state);
    }

    /** The line a reader greps for: the first, after the {@code cut here} marker of an oops. */
    public String headline() {
        return lines.stream().filter(l -> !l.startsWith("------------[ cut here ]")).findFirst()
                .orElse("(no report text)");
    }

    /** Whether it is a hang (hung task or lockup), the kind a watchdog turns into a report. */
    public boolean hang() {
        return kind != null && kind.hang();
    }
}
