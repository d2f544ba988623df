package dev.kmapstress.torture;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Takes the statistics of a running torture: at each call, every worker's counters per
 * operation and the latencies recorded since the previous call, which it also adds into the
 * run's total histograms. Only one thread calls it (the run's).
 */
final class Sampler {

    private final OpSet ops;
    private final List<Worker> workers;
    private final long startNanos;
    private final Histogram[] total;

    Sampler(OpSet ops, List<Worker> workers, long startNanos) {
        this.ops = ops;
        this.workers = workers;
        this.startNanos = startNanos;
        this.total = new Histogram[ops.size()];
        for (int i = 0; i < total.length; i++) {
            total[i] = new Histogram(2);
        }
    }

    /** The statistics now, with the latencies of the interval since the last sample. */
    Interval sample() {
        List<OpCounts> l = new ArrayList<>();
        for (int op = 0; op < ops.size(); op++) {
            Histogram interval = new Histogram(2);
            for (Worker w : workers) {
                interval.add(w.stats().intervalLatency(op));
            }
            total[op].add(interval);
            l.add(counts(op, Latency.of(interval)));
        }
        return new Interval((System.nanoTime() - startNanos) / 1e9, l);
    }

    /** The counts of the last sample with the latencies of the whole run. */
    List<OpCounts> totals() {
        List<OpCounts> l = new ArrayList<>();
        for (int op = 0; op < ops.size(); op++) {
            l.add(counts(op, Latency.of(total[op])));
        }
        return l;
    }

    private OpCounts counts(int op, Latency latency) {
        List<Long> perCpu = new ArrayList<>();
        long sum = 0;
        long fail = 0;
        for (Worker w : workers) {
            long c = w.stats().count(op);
            perCpu.add(c);
            sum += c;
            fail += w.stats().fails(op);
        }
        long max = perCpu.stream().mapToLong(Long::longValue).max().orElse(0);
        long min = perCpu.stream().mapToLong(Long::longValue).min().orElse(0);
        return new OpCounts(ops.name(op), sum, max, min, fail, perCpu, latency);
    }
}
