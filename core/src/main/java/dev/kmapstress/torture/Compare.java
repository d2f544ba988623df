package dev.kmapstress.torture;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the same torture workload once per lock strategy and wait strategy, one after the
 * other on fresh machines with the same seed, after an unrecorded warm-up run that lets the JIT
 * compile the model; and tabulates throughput, latency percentiles, fairness, waits and
 * verdict, fastest first. Ctrl-C (an interrupt) ends it after the current run with the rows so
 * far.
 */
public final class Compare {

    private final List<TortureConfig> runs;
    private final Duration warmup;
    private final Consumer<String> say;

    /**
     * @param runs   one configuration per row, differing in lock and wait strategy only
     * @param warmup length of the warm-up run (zero: none)
     * @param say    receives one line as each run ends
     */
    public Compare(List<TortureConfig> runs, Duration warmup, Consumer<String> say) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("nothing to compare: no lock strategy and wait strategy given");
        }
        this.runs = List.copyOf(runs);
        this.warmup = warmup;
        this.say = say;
    }

    /** Runs every configuration and returns the comparison (without charts). */
    public CompareResult run() {
        String started = OffsetDateTime.now().withNano(0).toString();
        boolean interrupted = false;
        if (!warmup.isZero()) {
            say.accept("warm-up: " + Durations.format(warmup) + " of " + label(runs.get(0)));
            interrupted = new TortureRunner(runs.get(0).toBuilder().duration(warmup).build(),
                    RunOutput.silent()).run().interrupted();
        }
        List<CompareRow> rows = new ArrayList<>();
        List<TortureResult> results = new ArrayList<>();
        for (int i = 0; i < runs.size() && !interrupted; i++) {
            TortureConfig c = runs.get(i);
            TortureResult r = new TortureRunner(c, RunOutput.silent()).run();
            CompareRow row = CompareRow.of(c, r);
            rows.add(row);
            results.add(r);
            interrupted = r.interrupted();
            say.accept(String.format("[%d/%d] %s: %.0f maps/s, %s p99 %d ns, fairness %.2f, %s%s", i + 1,
                    runs.size(), label(c), row.mapsPerSecond(), row.latencyOp(), row.p99(), row.fairness(),
                    row.verdict(), row.reason().isEmpty() ? "" : " (" + row.reason() + ")"));
        }
        rows.sort(Comparator.comparingDouble(CompareRow::mapsPerSecond).reversed());
        return new CompareResult(CompareResult.SCHEMA, started, interrupted, Environment.describe(),
                sharedConfig(), rows, List.of(), results);
    }

    private static String label(TortureConfig c) {
        return c.machine().lock() + "/" + c.machine().waitStrategy();
    }

    /** The settings every run shared: the machine's but lock and wait strategy, and the run's. */
    private Map<String, Object> sharedConfig() {
        TortureConfig c = runs.get(0);
        Map<String, Object> m = new LinkedHashMap<>(c.machine().asKeyValues());
        m.remove("lock");
        m.remove("wait-strategy");
        m.putAll(c.runSettings());
        m.put("warmup", Durations.format(warmup));
        return m;
    }

    /** The comparison as a text table, fastest first. */
    public static List<String> table(List<CompareRow> rows) {
        List<String> l = new ArrayList<>();
        int w = Math.max(4, rows.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String op = rows.isEmpty() ? "kmap" : rows.get(0).latencyOp();
        l.add(String.format("%4s  %-" + w + "s %12s %9s %9s %9s %9s %9s  %s", "rank", "lock/wait", "maps/s",
                op + " p50", "p99", "p99.9", "max/min", "waits", "verdict"));
        for (int i = 0; i < rows.size(); i++) {
            CompareRow r = rows.get(i);
            l.add(String.format("%4d  %-" + w + "s %12.0f %9d %9d %9d %9.2f %9d  %s", i + 1, r.label(),
                    r.mapsPerSecond(), r.p50(), r.p99(), r.p999(), r.fairness(), r.waits(), r.verdict()));
        }
        l.add("(latencies in ns; max/min: busiest CPU's mappings over the idlest's; waits: sleeps for a free PKMAP slot)");
        return l;
    }
}
