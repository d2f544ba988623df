package dev.kmapstress.report;

import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * One row of JMH's results: a benchmark in one mode, with one thread count and one set of
 * parameters, its primary score and its secondary metrics (the {@code -prof gc} figures, the
 * per-method scores of a {@code @Group}).
 *
 * @param benchmark the full name, e.g. {@code dev.kmapstress.bench.KmapHigh.hitRoundTrip}
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 */
public record JmhResult(String benchmark, String mode, int threads, SortedMap<String, String> params,
        Metric primary, Map<String, Metric> secondary) {

    /** The {@code -prof gc} metric of bytes allocated per operation. */
    public static final String ALLOCATION = "gc.alloc.rate.norm";

    /** {@code Class.method} (or {@code Class.group}), the name the report uses. */
    public String name() {
        int last = benchmark.lastIndexOf('.');
        int previous = benchmark.lastIndexOf('.', last - 1);
        return benchmark.substring(previous + 1);
    }

    /** The value of parameter {@code key}, or null if the benchmark has no such parameter. */
    public String param(String key) {
        return params.get(key);
    }

    /** Bytes allocated per operation ({@code -prof gc}), or null if not profiled. */
    public Metric allocation() {
        return secondary.get(ALLOCATION);
    }

    /** Whether a larger score is better (throughput) rather than worse (time per operation). */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** The parameters as {@code key=value} words, or {@code -} without any. */
    public String paramsText() {
        if (params.isEmpty()) {
            return "-";
        }
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** What identifies the measured configuration across two runs. */
    public String key() {
        return benchmark + " " + mode + " threads=" + threads + " " + paramsText();
    }
}
