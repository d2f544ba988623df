package dev.kmapstress.report;

import static dev.kmapstress.report.BenchmarkNames.BARE_LOCK;
import static dev.kmapstress.report.BenchmarkNames.HIT;
import static dev.kmapstress.report.BenchmarkNames.JVM_LOCKS;
import static dev.kmapstress.report.BenchmarkNames.LOCAL;
import static dev.kmapstress.report.BenchmarkNames.SYNCHRONIZED;
import static dev.kmapstress.report.BenchmarkNames.TARGET_PROFILE;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The performance targets of the benchmark matrix, evaluated on one run's results (the
 * figures of a ratio always come from the same run, measured side by side):
 * <ol>
 * <li>kmap_high hit + kunmap_high costs at most 1.5× the same lock's bare lock+unlock, for the
 *     lock with the fastest hit path, at 1 thread;</li>
 * <li>the kmap_local round trip is at least 5× (1 thread) and 10× (2 threads) as fast as the
 *     fastest lock's kmap_high hit round trip;</li>
 * <li>kmap_high hit + kunmap_high, and the kmap_local round trip, allocate nothing (judged at
 *     1 thread, see {@link #allocationFree});</li>
 * <li>the fastest spinlock is at least 1.3× as fast as {@code synchronized} on the hit round
 *     trip at 2 threads (one contended kmap_lock);</li>
 * <li>statistics on cost at most 5 % against off, on the hit round trip at 1 thread.</li>
 * </ol>
 * All on profile {@value BenchmarkNames#TARGET_PROFILE}, statistics on unless the target is
 * about them. A target whose figures are missing from the run is NOT_MEASURED, saying which.
 */
public final class Targets {

    /**
     * Bytes per operation below which a path counts as allocation-free: the smallest Java
     * object has 16 bytes, so an allocation on every operation shows at least 16 B/op, while
     * JMH's own few allocations per iteration, spread over its operations, stay far below 1.
     */
    public static final double ALLOCATION_FREE_BELOW = 1.0;

    /** PASS, FAIL or NOT_MEASURED (the run lacks the figures). */
    public enum Verdict { PASS, FAIL, NOT_MEASURED }

    /**
     * One evaluated target.
     *
     * @param note for a miss, by how much; then which configurations the figures come from
     */
    public record Target(String claim, String threshold, String measured, Verdict verdict, String note) {
    }

    private Targets() {
    }

    /** Evaluates every target on {@code run}. */
    public static List<Target> evaluate(JmhRun run) {
        return List.of(
                hitVersusBareLock(run),
                localVersusHigh(run, 1, 5),
                localVersusHigh(run, 2, 10),
                allocationFree(run, HIT, "kmap_high hit + kunmap_high allocate nothing"),
                allocationFree(run, LOCAL, "the kmap_local round trip allocates nothing"),
                spinlockVersusSynchronized(run),
                statisticsCost(run));
    }

    static Target hitVersusBareLock(JmhRun run) {
        String claim = "kmap_high hit + kunmap_high costs at most 1.5× the same lock's bare"
                + " lock+unlock (fastest lock, 1 thread)";
        String threshold = "≤ 1.5×";
        Optional<JmhResult> hit = fastest(hits(run, 1, true));
        if (hit.isEmpty()) {
            return missing(claim, threshold, HIT + " at 1 thread");
        }
        String lock = hit.get().param("lock");
        Optional<JmhResult> bare = withLock(select(run, BARE_LOCK, 1, Map.of()), lock);
        if (bare.isEmpty()) {
            return missing(claim, threshold, BARE_LOCK + " of lock " + lock + " at 1 thread");
        }
        Ratio cost = Ratio.of(bare.get().primary(), hit.get().primary());
        return atMost(claim, threshold, 1.5, cost, cost.format() + " ×", "lock " + lock + ": hit round trip "
                + hit.get().primary().format() + " ops/µs, bare pair " + bare.get().primary().format()
                + " ops/µs; the round trip takes kmap_lock twice and a page_address bucket lock twice");
    }

    static Target localVersusHigh(JmhRun run, int threads, double factor) {
        String claim = "the kmap_local round trip is at least " + Numbers.format(factor) + "× as fast as"
                + " the fastest lock's kmap_high round trip (" + threadsText(threads) + ")";
        String threshold = "≥ " + Numbers.format(factor) + "×";
        Optional<JmhResult> local = fastest(select(run, LOCAL, threads, Map.of("profile", TARGET_PROFILE)));
        if (local.isEmpty()) {
            return missing(claim, threshold, LOCAL + " at " + threadsText(threads));
        }
        Optional<JmhResult> hit = fastest(hits(run, threads, true));
        if (hit.isEmpty()) {
            return missing(claim, threshold, HIT + " at " + threadsText(threads));
        }
        Ratio speedup = Ratio.of(local.get().primary(), hit.get().primary());
        return atLeast(claim, threshold, factor, speedup, speedup.format() + " ×", "kmap_local "
                + local.get().primary().format() + " ops/µs; kmap_high with lock " + hit.get().param("lock")
                + " " + hit.get().primary().format() + " ops/µs");
    }

    /**
     * Judged on the 1-thread configurations, with the worst contended one in the note: the
     * model's path is the same at any thread count (contention changes only how a lock waits,
     * and a JVM lock may allocate a queue node to park), while the gc profiler counts every
     * thread of the fork, so JMH's own few kilobytes per iteration, spread over the few
     * operations a collapsed contended configuration completes, show up as bytes per operation.
     */
    static Target allocationFree(JmhRun run, String name, String claim) {
        String threshold = "< " + Numbers.format(ALLOCATION_FREE_BELOW) + " B/op at 1 thread";
        List<JmhResult> profiled = run.of(name).stream().filter(r -> r.allocation() != null)
                .collect(Collectors.toList());
        Optional<JmhResult> worst = mostAllocating(profiled.stream().filter(r -> r.threads() == 1));
        if (worst.isEmpty()) {
            return missing(claim, threshold, name + " at 1 thread with -prof gc");
        }
        double bytes = worst.get().allocation().score();
        boolean pass = bytes < ALLOCATION_FREE_BELOW;
        String where = "worst of the 1-thread configurations: " + worst.get().paramsText()
                + mostAllocating(profiled.stream().filter(r -> r.threads() > 1))
                        .map(c -> "; with more threads the worst is " + Numbers.format(c.allocation().score())
                                + " B/op (threads=" + c.threads() + " " + c.paramsText() + ", "
                                + c.primary().format() + " ops/µs)")
                        .orElse("");
        return new Target(claim, threshold, worst.get().allocation().format() + " B/op",
                pass ? Verdict.PASS : Verdict.FAIL,
                pass ? where : "missed: allocates about " + Numbers.format(bytes) + " B per operation; "
                        + where);
    }

    private static Optional<JmhResult> mostAllocating(Stream<JmhResult> results) {
        return results.max(Comparator.comparingDouble(r -> r.allocation().score()));
    }

    static Target spinlockVersusSynchronized(JmhRun run) {
        String claim = "the fastest spinlock is at least 1.3× as fast as synchronized on kmap_high hit"
                + " + kunmap_high at 2 threads (one contended kmap_lock)";
        String threshold = "≥ 1.3×";
        List<JmhResult> contended = hits(run, 2, true);
        Optional<JmhResult> sync = withLock(contended, SYNCHRONIZED);
        if (sync.isEmpty()) {
            return missing(claim, threshold, HIT + " of lock synchronized at 2 threads");
        }
        Optional<JmhResult> spin = fastest(contended.stream()
                .filter(r -> !JVM_LOCKS.contains(r.param("lock"))).collect(Collectors.toList()));
        if (spin.isEmpty()) {
            return missing(claim, threshold, HIT + " of any spinlock at 2 threads");
        }
        Ratio speedup = Ratio.of(spin.get().primary(), sync.get().primary());
        return atLeast(claim, threshold, 1.3, speedup, speedup.format() + " ×", "spinlock "
                + spin.get().param("lock") + " " + spin.get().primary().format() + " ops/µs; synchronized "
                + sync.get().primary().format() + " ops/µs");
    }

    static Target statisticsCost(JmhRun run) {
        String claim = "per-CPU statistics cost at most 5 % (kmap_high hit + kunmap_high, fastest lock,"
                + " 1 thread)";
        String threshold = "≤ 5 %";
        Optional<JmhResult> on = fastest(hits(run, 1, true));
        if (on.isEmpty()) {
            return missing(claim, threshold, HIT + " at 1 thread with statistics on");
        }
        String lock = on.get().param("lock");
        Optional<JmhResult> off = withLock(hits(run, 1, false), lock);
        if (off.isEmpty()) {
            return missing(claim, threshold, HIT + " of lock " + lock + " at 1 thread with statistics off");
        }
        Ratio slowdown = Ratio.of(off.get().primary(), on.get().primary());
        String measured = signedPercent(slowdown.value() - 1) + " ± "
                + (Double.isNaN(slowdown.error()) ? "?" : Numbers.format(100 * slowdown.error()) + " %");
        return atMost(claim, threshold, 1.05, slowdown, measured, "lock " + lock + ": on "
                + on.get().primary().format() + " ops/µs, off " + off.get().primary().format() + " ops/µs");
    }

    // ------------------------------------------------------------------ selection

    /** The hit round trips at {@code threads} on the target profile, statistics on or off. */
    private static List<JmhResult> hits(JmhRun run, int threads, boolean statistics) {
        return select(run, HIT, threads,
                Map.of("profile", TARGET_PROFILE, "statistics", Boolean.toString(statistics)));
    }

    /**
     * The throughput results of {@code name} at {@code threads} whose parameters match
     * {@code wanted} (a parameter the benchmark does not have matches anything).
     */
    static List<JmhResult> select(JmhRun run, String name, int threads, Map<String, String> wanted) {
        return run.of(name).stream()
                .filter(r -> r.threads() == threads && r.higherIsBetter())
                .filter(r -> wanted.entrySet().stream()
                        .allMatch(e -> matches(r.param(e.getKey()), e.getValue())))
                .collect(Collectors.toList());
    }

    private static boolean matches(String value, String wanted) {
        return value == null || value.equals(wanted);
    }

    /** The result with the highest throughput. */
    static Optional<JmhResult> fastest(List<JmhResult> results) {
        return results.stream().max(Comparator.comparingDouble(r -> r.primary().score()));
    }

    /** The result of {@code lock}; a null lock (a results file without the parameter) matches likewise. */
    private static Optional<JmhResult> withLock(List<JmhResult> results, String lock) {
        return results.stream().filter(r -> Objects.equals(lock, r.param("lock"))).findFirst();
    }

    // ------------------------------------------------------------------ verdicts

    private static Target missing(String claim, String threshold, String what) {
        return new Target(claim, threshold, "-", Verdict.NOT_MEASURED, "not in this run: " + what);
    }

    private static Target atMost(String claim, String threshold, double limit, Ratio r, String measured,
            String how) {
        boolean pass = r.value() <= limit;
        String miss = pass ? "" : "missed by " + Numbers.format(r.value() / limit) + "× ("
                + Numbers.format(r.value()) + " against " + Numbers.format(limit) + "); ";
        return new Target(claim, threshold, measured, pass ? Verdict.PASS : Verdict.FAIL,
                miss + within(r, limit) + how);
    }

    private static Target atLeast(String claim, String threshold, double limit, Ratio r, String measured,
            String how) {
        boolean pass = r.value() >= limit;
        String miss = pass ? "" : "missed by " + Numbers.format(limit / r.value()) + "× ("
                + Numbers.format(r.value()) + " against " + Numbers.format(limit) + "); ";
        return new Target(claim, threshold, measured, pass ? Verdict.PASS : Verdict.FAIL,
                miss + within(r, limit) + how);
    }

    private static String within(Ratio r, double limit) {
        return r.straddles(limit) ? "the threshold lies within the error, so the verdict is not firm; " : "";
    }

    private static String threadsText(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    private static String signedPercent(double fraction) {
        return (fraction >= 0 ? "+" : "") + Numbers.format(100 * fraction) + " %";
    }
}
