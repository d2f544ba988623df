package dev.kmapstress.torture;

import java.util.List;

/**
 * One operation's counts at a moment of a run, as locktorture's statistics line has them:
 * the total, the most and fewest any CPU completed, and the failures.
 *
 * @param perCpu  completed operations per CPU
 * @param latency of the interval that ended at this moment (intervals) or of the whole run
 *                (summary)
 */
public record OpCounts(String op, long total, long max, long min, long fail, List<Long> perCpu,
        Latency latency) {

    public OpCounts {
        perCpu = List.copyOf(perCpu);
    }

    /** locktorture's starvation test: some CPU did less than half of what the busiest did. */
    public boolean starved() {
        return max / 2 > min;
    }

    /**
     * The locktorture statistics line, {@code kmap :  Total: 1234  Max/Min: 620/614   Fail: 0},
     * with locktorture's markers: {@code ???} for starvation, {@code !!!} for failures.
     *
     * @param width the name column's width, to align the lines of one interval
     */
    public String statLine(int width) {
        return String.format("%-" + width + "s:  Total: %d  Max/Min: %d/%d %s  Fail: %d %s", op, total,
                max, min, starved() ? "???" : "", fail, fail > 0 ? "!!!" : "").stripTrailing();
    }
}
