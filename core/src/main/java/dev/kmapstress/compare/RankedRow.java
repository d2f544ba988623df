package dev.kmapstress.compare;

import dev.kmapstress.torture.TortureResult;
import java.util.List;

/**
 * One configuration of a comparison (a row of its table and of its results file): what it
 * is, the median and 95 % interval of its rounds' throughput and latency, its rank group among
 * the configurations of the same workload and CPU count, and every round.
 *
 * @param mapsPerSecond median and interval of the rounds' mappings per second (null without rounds)
 * @param p99           median and interval of the rounds' 99th-percentile latency of
 *                      {@code latencyOp}, ns (null without rounds)
 * @param relative      median and interval of its rounds' throughput over their block's geometric
 *                      mean (see {@link BlockRelative}): what the rank stands on; null when not
 *                      ranked by blocks (a failed row, a single configuration, no complete block)
 * @param rank          {@code "1"}, or {@code "1-3"} when the intervals cannot separate it from
 *                      others; {@value #UNRANKED} for a failed configuration (never ranked, never fastest)
 * @param rounds        its recorded rounds, in the order they ran
 * @param latencyOp     the operation whose latency {@code p99} is, e.g. {@code kmap}
 * @param reason        why it failed, empty if it did not
 * @param replay        the command replaying the failed run, empty if none
 * @param cut           whether its round was the one an interruption cut short
 */
public record RankedRow(String lock, String waitStrategy, String workload, int cpus, String verdict,
        MedianInterval mapsPerSecond, MedianInterval p99, MedianInterval relative, String rank, List<Round> rounds, String latencyOp,
        String reason, String replay, boolean cut) {

    /** The rank of a failed configuration. */
    public static final String UNRANKED = "-";

    public RankedRow {
        rounds = List.copyOf(rounds);
    }

    /** The unranked row of a configuration's rounds. */
    public static RankedRow of(Measured m) {
        double[] maps = m.mapsPerSecond();
        return new RankedRow(m.config().machine().lock(), m.config().machine().waitStrategy(),
                m.config().workload().toString(), m.config().machine().cpus(),
                m.failed() ? TortureResult.FAILURE : TortureResult.SUCCESS,
                maps.length == 0 ? null : MedianInterval.of(maps), maps.length == 0 ? null : MedianInterval.of(m.p99()),
                null, UNRANKED, m.rounds(), Round.latencyOp(m.config()), m.failure(), m.replay(), m.cut());
    }

    /** The same row with its rank and what the rank stands on (null: the medians themselves). */
    RankedRow ranked(String r, MedianInterval rel) {
        return new RankedRow(lock, waitStrategy, workload, cpus, verdict, mapsPerSecond, p99, rel, r, rounds,
                latencyOp, reason, replay, cut);
    }

    /** Whether it ended in SUCCESS. */
    public boolean success() {
        return TortureResult.SUCCESS.equals(verdict);
    }

    /** Whether it takes part in the ranking: it passed and has rounds. */
    boolean rankable() {
        return success() && mapsPerSecond != null;
    }

    /** {@code lock/wait}, as tables and charts name a row. */
    public String label() {
        return lock + "/" + waitStrategy;
    }

    /** Whether it is the same configuration as {@code other} (lock, wait strategy, workload, CPUs). */
    boolean sameConfiguration(RankedRow other) {
        return lock.equals(other.lock) && waitStrategy.equals(other.waitStrategy) && workload.equals(other.workload)
                && cpus == other.cpus;
    }
}
