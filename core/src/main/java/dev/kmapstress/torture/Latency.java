package dev.kmapstress.torture;

import org.HdrHistogram.Histogram;

/** Latency percentiles of one operation over some time, in nanoseconds (0 when nothing ran). */
public record Latency(long count, long p50, long p90, long p99, long p999, long max, double mean) {

    /** The percentiles of a histogram of nanoseconds. */
    static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                h.getMean());
    }
}
