package dev.kmapstress.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranks that say no more than the intervals do. A configuration's rank is the range of places
 * it could take: it is certainly behind every configuration whose interval lies wholly above
 * its own, and possibly behind every one whose interval reaches its own. Its best place is one
 * after the first kind, its worst the count of the second: {@code "1"} when the interval is
 * clear of everyone else's, {@code "1-3"} when it overlaps two others (the three are
 * indistinguishable at the intervals' confidence). Higher values rank first (throughput).
 *
 * <p>Overlap is not transitive, so groups may chain: with A above B above C, A overlapping B
 * and B overlapping C but A clear of C, A is {@code 1-2}, B {@code 1-3}, C {@code 2-3}.
 */
public final class RankGroups {

    private RankGroups() {
    }

    /** The rank of each interval, in the order given. */
    public static List<String> of(List<MedianInterval> intervals) {
        List<String> ranks = new ArrayList<>(intervals.size());
        for (MedianInterval i : intervals) {
            int best = 1;
            int worst = 0;
            for (MedianInterval other : intervals) {
                if (other.low() > i.high()) {
                    best++;
                }
                if (other.high() >= i.low()) {
                    worst++;
                }
            }
            ranks.add(best == worst ? Integer.toString(best) : best + "-" + worst);
        }
        return ranks;
    }

    /** The best place a rank allows: 2 for {@code "2-4"}. */
    public static int best(String rank) {
        int dash = rank.indexOf('-');
        return Integer.parseInt(dash < 0 ? rank : rank.substring(0, dash));
    }

    /** Whether the rank is shared with others (a range). */
    public static boolean shared(String rank) {
        return rank.indexOf('-') >= 0;
    }
}
