package dev.kmapstress.compare;

import dev.kmapstress.torture.Latency;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.TortureResult;

/**
 * One line of a comparison: a lock strategy and wait strategy, and what the same workload did
 * with them.
 *
 * @param mapsPerSecond mappings taken per second (each checked, held, checked and released)
 * @param latencyOp     the operation whose latency percentiles follow, e.g. {@code kmap}
 * @param fairness      busiest CPU's mappings / idlest CPU's
 * @param waits         sleeps in map_new_virtual waiting for a free slot
 * @param reason        the first failure's headline, empty on success
 */
public record CompareRow(String lock, String waitStrategy, double mapsPerSecond, String latencyOp,
        long p50, long p99, long p999, double fairness, long waits, String verdict, String reason) {

    /** The row of one torture result. */
    static CompareRow of(TortureConfig c, TortureResult r) {
        String op = c.workload().activities().get(0).ops().get(0);
        Latency l = r.summary().op(op).latency();
        return new CompareRow(c.machine().lock(), c.machine().waitStrategy(), r.summary().mapsPerSecond(),
                op, l.p50(), l.p99(), l.p999(), r.summary().fairness(),
                r.summary().machine().getOrDefault("sleep", 0L), r.verdict(),
                r.reasons().isEmpty() ? "" : r.reasons().get(0));
    }

    /** {@code lock/wait}, as charts label a row. */
    public String label() {
        return lock + "/" + waitStrategy;
    }
}
