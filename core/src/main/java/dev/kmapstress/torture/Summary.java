package dev.kmapstress.torture;

import java.util.List;
import java.util.Map;

/**
 * A run's totals.
 *
 * @param seconds        how long the workers ran
 * @param mapsPerSecond  mappings taken per second, all kinds together (each one checked, held,
 *                       checked again and released)
 * @param fairness       the busiest CPU's mappings divided by the idlest's (1 is perfectly fair)
 * @param ops            per operation: counts, and latency over the whole run
 * @param machine        the model's own counters summed over CPUs: waits, wake-ups, flushes, IPIs
 * @param harness        the workers' counters: rounds, words verified, context switches, ...
 * @param reports        reports in the kernel log, by kind
 */
public record Summary(double seconds, double mapsPerSecond, double fairness, List<OpCounts> ops,
        Map<String, Long> machine, Map<String, Long> harness, Map<String, Long> reports) {

    public Summary {
        ops = List.copyOf(ops);
    }

    /** The counts of operation {@code op}, or null if the run did not have it. */
    public OpCounts op(String op) {
        return ops.stream().filter(o -> o.op().equals(op)).findFirst().orElse(null);
    }
}
