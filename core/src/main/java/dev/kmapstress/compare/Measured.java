package dev.kmapstress.compare;

import dev.kmapstress.torture.TortureConfig;
import java.util.List;

/**
 * What the rounds of one configuration measured.
 *
 * @param group  index of its comparison group (one workload at one CPU count)
 * @param config the configuration
 * @param rounds its recorded rounds, in the order they ran
 * @param failure why it failed (a failed warm-up or round: no further rounds ran), empty if it did not
 * @param replay the command replaying the failed run, empty if none
 * @param cut    whether its round was the one cut short by an interruption
 */
public record Measured(int group, TortureConfig config, List<Round> rounds, String failure, String replay,
        boolean cut) {

    public Measured {
        rounds = List.copyOf(rounds);
    }

    /** Whether it failed: a broken lock, a hang, a lost round. */
    public boolean failed() {
        return !failure.isEmpty();
    }

    /** Maps per second of each round, in run order. */
    public double[] mapsPerSecond() {
        return rounds.stream().mapToDouble(Round::mapsPerSecond).toArray();
    }

    /** kmap p99 of each round, in run order. */
    public double[] p99() {
        return rounds.stream().mapToDouble(Round::p99).toArray();
    }
}
