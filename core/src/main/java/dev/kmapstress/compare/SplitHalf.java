package dev.kmapstress.compare;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Whether a ranking would come out the same again: the configurations are ranked twice, once
 * by the median of their odd rounds and once by that of their even rounds (each half spans the
 * whole run, the rounds being interleaved), and the two rankings are compared with Spearman's
 * rank correlation. Below {@link #STABLE} the ranking is not stable.
 *
 * <p>With few configurations a correlation that high proves nothing: configurations all alike
 * rank in random orders, and the two halves' orders reach {@link #STABLE} by chance with the
 * probability {@link #chance(int)} (the exact permutation distribution of Spearman's rho: 1/6
 * for 4 configurations, 8/120 for 5, 21/720 for 6). Below {@link #MIN_CONFIGURATIONS}, the
 * fewest for which that chance is under {@link #CHANCE}, the check cannot call a ranking stable.
 *
 * <p>How much longer to run: by the Spearman-Brown prediction, halves {@code k} times as long
 * correlate {@code k r / (1 + (k-1) r)}; solved for {@link #STABLE}, {@code k = S (1-r) / (r (1-S))}.
 * A correlation at or below zero predicts nothing: the configurations may simply be
 * indistinguishable, which no number of rounds will change.
 *
 * @param spearman       the rank correlation, NaN when it cannot be computed
 * @param configurations how many configurations were ranked
 */
public record SplitHalf(double spearman, int configurations) {

    /** The split-half correlation from which a ranking counts as stable. */
    public static final double STABLE = 0.8;
    /** The chance of calling noise stable that the check accepts: the usual 5 %. */
    static final double CHANCE = 0.05;
    /** The fewest configurations whose correlation can call a ranking stable (6). */
    public static final int MIN_CONFIGURATIONS = fewestConfigurations();
    /** Longer than this many times, the advice is that the configurations are indistinguishable. */
    private static final int MAX_FACTOR = 100;

    /**
     * The split-half correlation of configurations' rounds, each list in the order the rounds
     * ran. Needs three configurations (two always correlate perfectly or inversely) and two
     * rounds each; otherwise NaN.
     */
    public static SplitHalf of(List<double[]> roundsInOrder) {
        int n = roundsInOrder.size();
        if (n < 3 || roundsInOrder.stream().anyMatch(r -> r.length < 2)) {
            return new SplitHalf(Double.NaN, n);
        }
        double[] odd = new double[n];
        double[] even = new double[n];
        Median median = new Median();
        for (int c = 0; c < n; c++) {
            double[] r = roundsInOrder.get(c);
            odd[c] = median.evaluate(every(r, 0));
            even[c] = median.evaluate(every(r, 1));
        }
        return new SplitHalf(new SpearmansCorrelation().correlation(odd, even), n);
    }

    /** Rounds 1, 3, 5... ({@code first} 0) or 2, 4, 6... ({@code first} 1). */
    private static double[] every(double[] r, int first) {
        double[] half = new double[(r.length - first + 1) / 2];
        for (int i = 0; i < half.length; i++) {
            half[i] = r[first + 2 * i];
        }
        return half;
    }

    /**
     * The probability that {@code n} configurations all alike (their two halves' rankings
     * independent random orders, without ties) correlate at {@link #STABLE} or more: every one
     * of the n! orders counted.
     */
    static double chance(int n) {
        double total = 1;
        for (int i = 2; i <= n; i++) {
            total *= i;
        }
        return reaching(n, 0, new boolean[n], 0) / total;
    }

    /** The orders of positions {@code pos..n-1} that, with the squared differences so far, reach {@link #STABLE}. */
    private static long reaching(int n, int pos, boolean[] used, long squares) {
        if (pos == n) {
            // rho = 1 - 6 sum(d^2) / (n (n^2 - 1)); the tolerance keeps a rho of exactly 0.8 at 0.8.
            return 1 - 6.0 * squares / (n * ((double) n * n - 1)) >= STABLE - 1e-9 ? 1 : 0;
        }
        long count = 0;
        for (int v = 0; v < n; v++) {
            if (!used[v]) {
                used[v] = true;
                count += reaching(n, pos + 1, used, squares + (long) (pos - v) * (pos - v));
                used[v] = false;
            }
        }
        return count;
    }

    private static int fewestConfigurations() {
        int n = 3;
        while (chance(n) >= CHANCE) {
            n++;
        }
        return n;
    }

    /** Whether the halves correlate at {@link #STABLE} or more, whatever the number of configurations. */
    private boolean reachesStable() {
        return spearman >= STABLE;
    }

    /**
     * Whether the ranking is stable: the halves correlate at {@link #STABLE} or more among
     * enough configurations for that not to happen by chance (false also when it could not be checked).
     */
    public boolean stable() {
        return reachesStable() && configurations >= MIN_CONFIGURATIONS;
    }

    /**
     * How many times longer (more rounds) a run needs for halves correlating {@link #STABLE},
     * at least 2; 0 if no length is predicted to get there.
     */
    public int longerFactor() {
        if (!(spearman > 0) || reachesStable()) {
            return 0;
        }
        double k = STABLE * (1 - spearman) / (spearman * (1 - STABLE));
        // The tolerance keeps a factor computed as 4.0000000001 at 4.
        return k > MAX_FACTOR ? 0 : Math.max(2, (int) Math.ceil(k - 1e-9));
    }

    /**
     * One line for the output: the correlation and, when below {@link #STABLE}, what to do; with
     * fewer than {@link #MIN_CONFIGURATIONS} configurations a correlation reaching it is not
     * called stable.
     */
    public String line(int rounds) {
        if (Double.isNaN(spearman)) {
            // Only ranked configurations take part, and each has the rounds a ranking needs.
            return "split-half check: not possible with " + configurations + " ranked configuration(s) (needs 3)";
        }
        String r = String.format(Locale.ROOT, "split-half Spearman %.2f (odd rounds' ranking against even rounds')",
                spearman);
        if (stable()) {
            return r + ": stable";
        }
        if (reachesStable()) {
            return String.format(Locale.ROOT, "%s: cannot judge stability with %d configurations (%d alike reach"
                    + " %.1f by chance %.1f %% of the time; %d or more keep that below %.0f %%)", r, configurations,
                    configurations, STABLE, 100 * chance(configurations), MIN_CONFIGURATIONS, 100 * CHANCE);
        }
        int k = longerFactor();
        return "WARNING: " + r + " is below " + STABLE + ": the ranking is not stable; "
                + (k == 0 ? "the configurations look indistinguishable here: more rounds are unlikely to rank them"
                        : "run about " + k + "x longer (--rounds " + k * rounds + ", or --total " + k
                                + "x as long)")
                + "; the rank groups already say what the intervals allow";
    }
}
