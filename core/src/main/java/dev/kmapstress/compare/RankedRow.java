package dev.kmapstress.compare;

import dev.kmapstress.torture.TortureResult;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of a comparison (a row of its table and of its results file): what it
 * is, the median and interval of its rounds' throughput and latency, its rank group among
 * the configurations of the same workload and CPU count, and every round.
 *
 * @param mapsPerSecond median and interval of the rounds' mappings per second (null without rounds)
 * @param p99           median and interval of the rounds' 99th-percentile latency of
 *                      {@code latencyOp}, ns (null without rounds)
 * @param relative      median and interval of its rounds' throughput over their block's geometric
 *                      mean (see {@link BlockRelative}): what the rank stands on; null when not
 *                      ranked by blocks (a failed row, a single configuration, no complete block)
 * @param rank          {@code "1"}, or {@code "1-3"} when the intervals cannot separate it from
 *                      others; {@value #UNRANKED} for a failed configuration and for one with too
 *                      few rounds for a 95 % interval (never ranked, never fastest)
 * @param rounds        its recorded rounds, in the order they ran
 * @param latencyOp     the operation whose latency {@code p99} is, e.g. {@code kmap}
 * @param reason        why it failed, empty if it did not
 * @param replay        the command replaying the failed run, empty if none
 * @param cut           whether its round was the one an interruption cut short
 */
public record RankedRow(String lock, String waitStrategy, String workload, int cpus, String verdict,
        MedianInterval mapsPerSecond, MedianInterval p99, MedianInterval relative, String rank, List<Round> rounds, String latencyOp,
        String reason, String replay, boolean cut) {

    /** The rank of a failed configuration and of one with too few rounds to be ranked. */
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

    /**
     * Whether it takes part in the ranking: it passed, with enough rounds for an interval of
     * {@link MedianInterval#LEVEL} (fewer would rank noise: a single round's interval is a point).
     */
    boolean rankable() {
        return success() && MedianInterval.reachesLevel(rounds.size());
    }

    /** Why a row that passed is not ranked (too few rounds), empty if it is ranked or failed. */
    public String notRanked() {
        int n = rounds.size();
        if (!success() || rankable()) {
            return "";
        }
        return n == 0 ? "not ranked: no rounds" : String.format(Locale.ROOT,
                "not ranked: %d round%s give%s a %.1f %% interval, ranking needs %d (%.0f %%)", n, n == 1 ? "" : "s",
                n == 1 ? "s" : "", 100 * MedianInterval.coverage(n), MedianInterval.FEWEST_AT_LEVEL,
                100 * MedianInterval.LEVEL);
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
