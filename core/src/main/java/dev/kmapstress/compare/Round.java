package dev.kmapstress.compare;

import dev.kmapstress.torture.Latency;
import dev.kmapstress.torture.OpCounts;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.TortureResult;

/**
 * One recorded round of one configuration: a torture run in a JVM of its own (see
 * {@link Fork}), and what it measured.
 *
 * @param order         its place among all the comparison's recorded rounds, from 1, as they ran
 * @param round         its number among its configuration's rounds, from 1
 * @param seconds       how long the workers ran
 * @param mapsPerSecond mappings per second
 * @param p50           latency of the workload's first operation (e.g. kmap), ns
 * @param p99           its 99th percentile, ns
 * @param p999          its 99.9th percentile, ns
 * @param fairness      busiest CPU's mappings over the idlest's
 * @param waits         sleeps for a free PKMAP slot
 * @param verdict       {@code SUCCESS} or {@code FAILURE}
 * @param reason        the first failure's headline (or why the round did not finish), empty on success
 * @param replay        the command that replays a failed round with its seed, empty on success
 * @param interrupted   whether it was cut short (Ctrl-C, SIGTERM)
 */
public record Round(int order, int round, double seconds, double mapsPerSecond, long p50, long p99, long p999,
        double fairness, long waits, String verdict, String reason, String replay, boolean interrupted) {

    /** What one torture run of {@code config} measured. */
    static Round of(TortureConfig config, TortureResult r) {
        OpCounts op = r.summary().op(latencyOp(config));
        Latency l = op == null ? new Latency(0, 0, 0, 0, 0, 0, 0) : op.latency();
        return new Round(0, 0, r.summary().seconds(), r.summary().mapsPerSecond(), l.p50(), l.p99(), l.p999(),
                r.summary().fairness(), r.summary().machine().getOrDefault("sleep", 0L), r.verdict(),
                r.reasons().isEmpty() ? "" : r.reasons().get(0), r.success() ? "" : r.replay(), r.interrupted());
    }

    /** A round that never reported, for the reason given. */
    static Round lost(String why, boolean interrupted) {
        return new Round(0, 0, 0, 0, 0, 0, 0, 0, 0, TortureResult.FAILURE, why, "", interrupted);
    }

    /** The operation whose latency a comparison shows: the workload's first. */
    static String latencyOp(TortureConfig config) {
        return config.workload().activities().get(0).ops().get(0).word();
    }

    /** The same round placed in the comparison's order. */
    Round at(int order, int round) {
        return new Round(order, round, seconds, mapsPerSecond, p50, p99, p999, fairness, waits, verdict, reason,
                replay, interrupted);
    }

    /** Whether it ended in SUCCESS. */
    public boolean success() {
        return TortureResult.SUCCESS.equals(verdict);
    }
}
