package dev.kmapstress.torture;

import java.util.List;

/**
 * The statistics at one stat interval of a run: cumulative counts per operation (as
 * locktorture prints them) and the latencies of the interval just ended.
 *
 * @param seconds time since the start of the run
 */
public record Interval(double seconds, List<OpCounts> ops) {

    public Interval {
        ops = List.copyOf(ops);
    }

    /** One statistics line per operation, prefixed with the time as dmesg does. */
    public List<String> statLines() {
        int width = ops.stream().mapToInt(o -> o.op().length()).max().orElse(0);
        String stamp = String.format("[%5d.%06d] ", (long) seconds, Math.round(seconds * 1e6) % 1_000_000);
        return ops.stream().map(o -> stamp + o.statLine(width)).toList();
    }
}
