package dev.kmapstress.log;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * A machine's kernel log (its dmesg): reports with a timestamp and CPU, counted per kind.
 *
 * <p>Only failure paths write here, never a hot path, so appends are simply synchronized.
 * WARN_ON_ONCE's "once" is per {@link Site} and per machine.
 */
public final class KernelLog {

    private final long bootNanos = System.nanoTime();
    private final List<Report> reports = new ArrayList<>();
    private final AtomicLongArray counts = new AtomicLongArray(ReportKind.values().length);
    private final Set<Site> warnedOnce = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Report>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Appends a report and returns it. */
    public Report report(ReportKind kind, int cpu, List<String> lines) {
        Report r = new Report(kind, cpu, System.nanoTime() - bootNanos, lines);
        synchronized (reports) {
            reports.add(r);
        }
        counts.incrementAndGet(kind.ordinal());
        for (Consumer<Report> l : listeners) {
            l.accept(r);
        }
        return r;
    }

    /**
     * Claims the one report WARN_ON_ONCE may make at {@code site}: true the first time for this
     * machine, false ever after.
     */
    public boolean claimOnce(Site site) {
        return warnedOnce.add(site);
    }

    /** Calls {@code listener} for every report appended from now on (e.g. to print live). */
    public void addListener(Consumer<Report> listener) {
        listeners.add(listener);
    }

    /** A copy of every report so far, oldest first. */
    public List<Report> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** How many reports of {@code kind} were made. */
    public long count(ReportKind kind) {
        return counts.get(kind.ordinal());
    }

    /** The number of reports per kind, kinds with none left out. */
    public Map<ReportKind, Long> countsByKind() {
        Map<ReportKind, Long> m = new EnumMap<>(ReportKind.class);
        for (ReportKind k : ReportKind.values()) {
            long c = count(k);
            if (c > 0) {
                m.put(k, c);
            }
        }
        return m;
    }

    /** The number of reports of any kind. */
    public long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) {
            t += counts.get(i);
        }
        return t;
    }

    /** The log as dmesg prints it: {@code [    1.234567] text} per line. */
    public String dmesg() {
        StringBuilder sb = new StringBuilder();
        for (Report r : reports()) {
            String stamp = String.format("[%5d.%06d] ", r.nanosSinceBoot() / 1_000_000_000L,
                    (r.nanosSinceBoot() / 1_000L) % 1_000_000L);
            for (String line : r.lines()) {
                sb.append(stamp).append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
