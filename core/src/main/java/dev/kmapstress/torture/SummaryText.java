package dev.kmapstress.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The end of a torture run's output: the summary (operations, latencies, per-CPU balance, the
 * model's counters, reports by kind), the failures with the machine's state at a hang, the
 * replay command, and locktorture's last line, {@code End of test: SUCCESS} or
 * {@code FAILURE} ({@code INTERRUPTED} when cut short before anything failed).
 */
final class SummaryText {

    private SummaryText() {
    }

    static List<String> lines(TortureResult r) {
        Summary s = r.summary();
        List<String> l = new ArrayList<>();
        l.add(String.format("--- Summary: %.1f s%s, %d CPUs, %.0f mappings/s, fairness %.2f (busiest/idlest CPU)",
                s.seconds(), r.interrupted() ? " (interrupted)" : "", s.ops().isEmpty() ? 0
                        : s.ops().get(0).perCpu().size(), s.mapsPerSecond(), s.fairness()));
        l.add(String.format("  %-20s %12s %10s %9s %9s %9s %9s %9s", "operation", "total", "per s",
                "p50 ns", "p90 ns", "p99 ns", "p99.9 ns", "max ns"));
        for (OpCounts o : s.ops()) {
            Latency t = o.latency();
            l.add(String.format("  %-20s %12d %10.0f %9d %9d %9d %9d %9d", o.op(), o.total(),
                    o.total() / Math.max(s.seconds(), 1e-9), t.p50(), t.p90(), t.p99(), t.p999(), t.max()));
        }
        if (!s.ops().isEmpty()) {
            OpCounts first = s.ops().get(0);
            List<Long> cpus = first.perCpu();
            l.add("  " + first.op() + " per CPU: " + java.util.stream.IntStream.range(0, cpus.size())
                    .mapToObj(i -> "CPU#" + i + " " + cpus.get(i)).collect(Collectors.joining(", ")));
        }
        l.add("  model: " + join(s.machine()));
        l.add("  harness: " + join(s.harness()));
        l.add("  reports: " + (s.reports().isEmpty() ? "none" : join(s.reports())));
        failures(l, r);
        if (r.failed()) {
            if (!r.scenario().isEmpty()) {
                l.add("--- Last steps of the failing CPUs, as a scenario for ./kmap-stress run:");
                r.scenario().lines().forEach(l::add);
            }
            l.add("replay: " + r.replay());
        }
        l.add("kmap-torture:--- End of test: " + r.verdict() + ": " + r.config().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        return l;
    }

    private static void failures(List<String> l, TortureResult r) {
        if (r.reasons().isEmpty()) {
            return;
        }
        l.add("--- Failures:");
        r.reasons().forEach(reason -> l.add("  " + reason));
        r.failures().stream().filter(f -> !f.state().isEmpty()).findFirst().ifPresent(f -> {
            l.add("--- State when " + f.headline());
            l.addAll(f.state());
        });
    }

    private static String join(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
