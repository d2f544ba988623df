package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Throughput relative to the other configurations of the same block. A comparison runs as a
 * randomized complete block design ({@link RoundSchedule}): block {@code r} holds round
 * {@code r} of every configuration, run back to back. Whatever the host does for a few seconds
 * (other load, or a virtual CPU whose sibling thread is busy: on our 2-CPU VM one configuration
 * alone, in one JVM, alternates between about 0.6 and 1.3 million maps/s over a few seconds)
 * falls on a block's rounds alike. Dividing each round by its block's geometric mean keeps a
 * configuration's effect and drops the block's, the usual analysis of such a design: rankings
 * then stand on the differences between configurations, not on the host's phases.
 *
 * <p>Only complete blocks count (every configuration has its round there); a configuration
 * whose run was cut short loses its last, incomplete block.
 */
final class BlockRelative {

    private BlockRelative() {
    }

    /**
     * For each configuration, its rounds' throughput over their block's geometric mean, in
     * block order; empty arrays when no block is complete (or there is a single configuration,
     * which has nothing to be relative to).
     */
    static List<double[]> of(List<List<Round>> configurations) {
        int n = configurations.size();
        Map<Integer, double[]> blocks = new TreeMap<>();
        for (int c = 0; c < n; c++) {
            for (Round r : configurations.get(c)) {
                blocks.computeIfAbsent(r.round(), k -> new double[n])[c] = r.mapsPerSecond();
            }
        }
        List<double[]> complete = blocks.values().stream().filter(BlockRelative::complete).toList();
        List<double[]> ratios = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double[] mine = new double[n < 2 ? 0 : complete.size()];
            for (int b = 0; b < mine.length; b++) {
                mine[b] = complete.get(b)[c] / geometricMean(complete.get(b));
            }
            ratios.add(mine);
        }
        return ratios;
    }

    /** Every configuration measured something in the block (a failed or missing round is 0). */
    private static boolean complete(double[] block) {
        for (double v : block) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    private static double geometricMean(double[] values) {
        double logs = 0;
        for (double v : values) {
            logs += Math.log(v);
        }
        return Math.exp(logs / values.length);
    }
}
