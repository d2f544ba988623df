package dev.kmapstress.compare;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The median of a configuration's rounds and a distribution-free confidence interval for it:
 * the order statistics {@code x(j)} and {@code x(n+1-j)} of the {@code n} sorted rounds. Each
 * round falls below the true median with probability one half, so the number below is
 * binomial(n, 1/2) and the interval misses the median with probability
 * {@code 2 * P(B <= j-1)}, whatever the distribution of the rounds (no normality assumed:
 * throughput under contention is skewed and has outliers). {@code j} is the largest rank whose
 * coverage is at least {@link #LEVEL}; below 6 rounds no interval reaches 95 %, and the
 * interval is the whole range with its smaller {@link #coverage(int) coverage}.
 *
 * @param median the sample median (mean of the two middle rounds when n is even)
 * @param low    the lower end, a round's value
 * @param high   the upper end, a round's value
 */
public record MedianInterval(double median, double low, double high) {

    /** The confidence the intervals aim for, and the least a ranked interval has. */
    public static final double LEVEL = 0.95;
    /** The fewest rounds whose interval reaches {@link #LEVEL} (6); every count above reaches it too. */
    public static final int FEWEST_AT_LEVEL = fewestAtLevel();

    public MedianInterval {
        if (!(low <= median && median <= high)) {
            throw new IllegalArgumentException("interval " + low + ".." + high + " does not hold its median "
                    + median);
        }
    }

    /** The median of {@code values} (at least one) and its interval. */
    public static MedianInterval of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no rounds: a median needs at least one");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int j = lowerRank(sorted.length);
        return new MedianInterval(new Median().evaluate(sorted), sorted[j - 1], sorted[sorted.length - j]);
    }

    /**
     * The 1-based rank {@code j} of the lower end for {@code n} rounds: the largest with
     * coverage at least {@link #LEVEL}, or 1 (the whole range) if none reaches it.
     */
    public static int lowerRank(int n) {
        int j = 1;
        while (j + 1 <= n + 1 - (j + 1) && coverage(n, j + 1) >= LEVEL) {
            j++;
        }
        return j;
    }

    /** The probability that the interval {@code x(j)..x(n+1-j)} of {@code n} rounds holds the median. */
    static double coverage(int n, int j) {
        return 1 - 2 * new BinomialDistribution(null, n, 0.5).cumulativeProbability(j - 1);
    }

    /** The confidence of the interval {@link #of} gives for {@code n} rounds. */
    public static double coverage(int n) {
        return coverage(n, lowerRank(n));
    }

    /** Whether {@code n} rounds give an interval of at least {@link #LEVEL}: enough to rank on. */
    public static boolean reachesLevel(int n) {
        return n > 0 && coverage(n) >= LEVEL;
    }

    private static int fewestAtLevel() {
        int n = 1;
        while (!reachesLevel(n)) {
            n++;
        }
        return n;
    }

    /** Whether the two intervals share a point: neither configuration is shown to be ahead. */
    public boolean overlaps(MedianInterval other) {
        return low <= other.high && other.low <= high;
    }
}
