package dev.kmapstress.torture;

import java.util.List;
import java.util.Map;

/**
 * Everything a torture run found (its results file adds the environment: see
 * {@code dev.kmapstress.results.TortureFile}): the verdict and its reasons, the configuration,
 * the statistics of every interval, the summary, each failure with its kernel-worded report,
 * and the command that replays it.
 *
 * @param verdict      {@code SUCCESS} or {@code FAILURE}, as locktorture's last line, or
 *                     {@code INTERRUPTED} for a run cut short before anything failed
 * @param interrupted  whether the run was cut short (Ctrl-C); the statistics are those so far
 * @param started      when it started (ISO-8601)
 * @param reasons      why it failed, the first failure first; empty on success
 * @param scenario     the failing CPUs' last steps as a script for {@code ./kmap-stress run},
 *                     a starting point for a deterministic reproducer; empty on success
 * @param abandoned    worker threads still stuck when the run gave up waiting for them
 */
public record TortureResult(String verdict, boolean interrupted, String started,
        Map<String, Object> config, List<Interval> intervals, Summary summary, List<String> reasons, List<Failure> failures, String replay, String scenario,
        List<String> abandoned) {

    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";
    public static final String INTERRUPTED = "INTERRUPTED";

    public TortureResult {
        intervals = List.copyOf(intervals);
        reasons = List.copyOf(reasons);
        failures = List.copyOf(failures);
        abandoned = List.copyOf(abandoned);
    }

    /** Whether the verdict is SUCCESS. */
    public boolean success() {
        return SUCCESS.equals(verdict);
    }

    /** Whether the verdict is FAILURE (a report, a data mismatch, a hang). */
    public boolean failed() {
        return FAILURE.equals(verdict);
    }
}
