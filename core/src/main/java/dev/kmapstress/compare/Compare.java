package dev.kmapstress.compare;

import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.RunOutput;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.TortureResult;
import dev.kmapstress.torture.TortureRunner;
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
        return new CompareResult(started, interrupted, sharedConfig(), rows, List.of(), results);
    }

    /**
     * Each run's share of a {@code total} time for the whole comparison, after the warm-up.
     *
     * @throws IllegalArgumentException if that leaves less than 100 ms per run
     */
    public static Duration share(Duration total, Duration warmup, int runs) {
        Duration left = total.minus(warmup);
        if (runs == 0 || left.dividedBy(runs).toMillis() < 100) {
            throw new IllegalArgumentException("--total " + Durations.format(total) + ": must leave at least"
                    + " 100ms per run after the warm-up (" + runs + " runs)");
        }
        return Duration.ofMillis(left.dividedBy(runs).toMillis());
    }

    private static String label(TortureConfig c) {
        return c.machine().lock() + "/" + c.machine().waitStrategy();
    }

    /** The settings every run shared: the machine's but lock and wait strategy, and the run's. */
    private Map<String, Object> sharedConfig() {
        TortureConfig c = runs.get(0);
        Map<String, Object> m = c.asJson();
        m.remove(MachineConfig.LOCK.key());
        m.remove(MachineConfig.WAIT_STRATEGY.key());
        m.put("warmup", Durations.format(warmup));
        return m;
    }

}
