package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Stat;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one torture test, as locktorture does for a lock: one worker thread per CPU of a fresh
 * machine hammering the kmap machinery for the configured time, a statistics line per
 * operation every stat interval, a watchdog, a stutter thread, and at the end a summary and
 * {@code End of test: SUCCESS} or {@code FAILURE} with the reasons.
 *
 * <pre>{@code
 * TortureConfig c = TortureConfig.builder(Profile.X86_PAE).cpus(2).duration(Duration.ofSeconds(5)).build();
 * TortureResult r = new TortureRunner(c, RunOutput.plain(new PrintWriter(System.out, true))).run();
 * }</pre>
 *
 * <p>The run ends at the first failure (any report: the model's lockups and hung tasks are
 * reports too, after which its CPUs go on), when the time is up, or when the calling thread is
 * interrupted (Ctrl-C): then it stops the workers at the end of their rounds, stops the machine
 * ({@code smp_send_stop}) at once after a failure, else under those still stuck after the
 * longest honest round, and returns the result with the statistics so far; a thread that even
 * that cannot stop is named as abandoned. The calling thread's interrupt status is consumed.
 */
public final class TortureRunner {

    private static final long PROGRESS_NANOS = 250_000_000L;
    /** Failures listed one by one in the reasons; more are counted. */
    private static final int MAX_REASONS = 10;

    private final TortureConfig config;
    private final RunOutput out;

    public TortureRunner(TortureConfig config, RunOutput out) {
        this.config = config;
        this.out = out;
    }

    /** Runs the test and returns what it found; never throws for a failure of the model. */
    public TortureResult run() {
        String started = OffsetDateTime.now().withNano(0).toString();
        Machine machine = Machine.build(config.machine());
        OpSet ops = opSet(config);
        long start = System.nanoTime();
        int cpus = machine.nrCpus();
        boolean pin = config.workload().activities().stream().anyMatch(Activity::pinned);
        PageLedger ledger = new PageLedger(machine, config.seed(), workersPerColour(cpus, machine.config().colours()),
                pin);
        pinned(machine, ledger, true);
        List<Worker> workers = new ArrayList<>();
        Failures failures = new Failures(machine, start, new StateDump(machine, ledger, workers, start));
        RunControl control = new RunControl(cpus);
        machine.log().addListener(r -> {
            failures.report(r);
            out.print(dmesg(r));
        });
        Steps steps = new Steps(cpus, ops);
        for (int i = 0; i < cpus; i++) {
            workers.add(new Worker(machine, i, config, ledger, ops, control, failures, steps));
        }
        workers.forEach(w -> w.peers(List.copyOf(workers)));
        Sampler sampler = new Sampler(ops, workers, start);
        RunWatchdog watchdog = new RunWatchdog(workers, config.watchdog(), failures);

        out.print(List.of("kmap-torture:--- Start of test: " + config.describe()));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < cpus; i++) {
            threads.add(daemon("torture-cpu" + i, workers.get(i)));
        }
        if (config.stutter().on()) {
            daemon("torture-stutter", () -> control.stutter(config.stutter()));
        }
        daemon("torture-watchdog", watchdog);

        List<Interval> intervals = new ArrayList<>();
        boolean interrupted = waitForEnd(start, failures, sampler, intervals, mapOps(ops), workers);
        control.stop();
        List<String> abandoned = join(threads, machine, failures.any());
        watchdog.finish();
        if (abandoned.isEmpty() && failures.all().isEmpty()) {
            pinned(machine, ledger, false);
        }
        Interval last = sampler.sample();
        intervals.add(last);
        out.print(last.statLines());
        TortureResult result = result(started, machine, ops, workers, sampler, control, failures,
                intervals, interrupted, abandoned, steps);
        out.print(SummaryText.lines(result));
        out.close();
        return result;
    }

    /**
     * Maps ({@code map}) or unmaps the pages the run keeps mapped for the hit workload, with
     * kmap()/kunmap() on CPU 0 while no worker runs.
     */
    private static void pinned(Machine machine, PageLedger ledger, boolean map) {
        Cpu cpu = machine.cpu(0);
        try (Cpu.Scope s = cpu.enter()) {
            for (int c = 0; c < machine.config().colours(); c++) {
                for (int idx : ledger.pinned(c)) {
                    if (map) {
                        machine.highmem().kmap(cpu, ledger.page(idx));
                    } else {
                        machine.highmem().kunmap(cpu, ledger.page(idx));
                    }
                }
            }
        }
    }

    /** The operations a run of {@code c} counts. */
    static OpSet opSet(TortureConfig c) {
        OpSet ops = new OpSet();
        for (Activity a : c.workload().activities()) {
            a.ops().forEach(op -> ops.add(CountedOp.task(op)));
        }
        for (Activity a : c.workload().activities()) {
            a.extraOps().forEach(op -> ops.add(CountedOp.task(op)));
        }
        if (c.irq()) {
            ops.add(IrqHandler.LOCAL);
            if (c.machine().profile().kmapHighGet()) {
                ops.add(IrqHandler.HIGH_GET);
            }
        }
        return ops;
    }

    private int[] mapOps(OpSet ops) {
        return config.workload().activities().stream().mapToInt(a -> ops.index(a.ops().get(0))).toArray();
    }

    /** How many workers map pages of each colour (worker i takes colour i mod colours). */
    private static int[] workersPerColour(int cpus, int colours) {
        int[] n = new int[colours];
        for (int i = 0; i < cpus; i++) {
            n[i % colours]++;
        }
        return n;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Prints statistics and progress until the time is up or something failed; true if the
     * calling thread was interrupted.
     */
    private boolean waitForEnd(long start, Failures failures, Sampler sampler, List<Interval> intervals,
            int[] mapOps, List<Worker> workers) {
        long total = config.duration().toNanos();
        long end = start + total;
        long stat = config.statInterval().toNanos();
        long nextStat = start + stat;
        long nextProgress = start;
        long lastMaps = 0;
        long lastTime = start;
        try {
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    return false;
                }
                if (now >= nextProgress) {
                    long maps = maps(workers, mapOps);
                    out.progress(now - start, total, (maps - lastMaps) * 1e9 / Math.max(1, now - lastTime));
                    lastMaps = maps;
                    lastTime = now;
                    nextProgress = now + PROGRESS_NANOS;
                }
                if (now >= nextStat) {
                    Interval iv = sampler.sample();
                    intervals.add(iv);
                    out.print(iv.statLines());
                    nextStat += stat;
                }
                if (failures.await(Math.min(end, Math.min(nextStat, nextProgress)) - now)) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static long maps(List<Worker> workers, int[] mapOps) {
        long n = 0;
        for (Worker w : workers) {
            for (int op : mapOps) {
                n += w.stats().count(op);
            }
        }
        return n;
    }

    /**
     * Waits for the workers to end: a stopped worker finishes its round at once. After a failure
     * the machine is stopped at once, as panic() stops a kernel's CPUs
     * ({@link Machine#smpSendStop}): the run has what it looked for, and a CPU that oopsed
     * holding kmap_lock leaves the others spinning for good. Otherwise workers still stuck after
     * the longest honest round (a watchdog timeout plus a long hold) are stopped. Then they are
     * waited for once more; returns the names of those still running (only a lock strategy that
     * waits without cpu_relax() is not stopped).
     */
    private List<String> join(List<Thread> threads, Machine machine, boolean failed) {
        long grace = config.watchdog().toNanos() + config.longHold().toNanos();
        if (failed || !joinAll(threads, System.nanoTime() + grace)) {
            machine.smpSendStop(null);
            joinAll(threads, System.nanoTime() + config.watchdog().toNanos() + 1_000_000_000L);
        }
        List<String> abandoned = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                abandoned.add(t.getName());
            }
        }
        return abandoned;
    }

    /** Joins every thread until {@code deadline} (System.nanoTime); whether all have ended. */
    private static boolean joinAll(List<Thread> threads, long deadline) {
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                // A second Ctrl-C: stop waiting politely (the status is consumed, as run() promises).
                return false;
            }
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private TortureResult result(String started, Machine machine, OpSet ops, List<Worker> workers,
            Sampler sampler, RunControl control, Failures failures, List<Interval> intervals,
            boolean interrupted, List<String> abandoned, Steps steps) {
        double seconds = intervals.get(intervals.size() - 1).seconds();
        List<OpCounts> totals = sampler.totals();
        int[] mapOps = mapOps(ops);
        long[] perCpu = new long[workers.size()];
        for (int i = 0; i < workers.size(); i++) {
            for (int op : mapOps) {
                perCpu[i] += workers.get(i).stats().count(op);
            }
        }
        long maps = java.util.Arrays.stream(perCpu).sum();
        long max = java.util.Arrays.stream(perCpu).max().orElse(0);
        long min = java.util.Arrays.stream(perCpu).min().orElse(0);
        Summary summary = new Summary(seconds, maps / Math.max(seconds, 1e-9), (double) max / Math.max(min, 1),
                totals, machineCounters(machine), harnessCounters(workers, control), reports(machine));
        List<Failure> all = failures.all();
        List<String> reasons = reasons(all, abandoned);
        String scenario = all.isEmpty() ? ""
                : steps.script(machine.config(), config.seed(), all.stream().mapToInt(Failure::cpu)
                        .filter(c -> c >= 0).distinct().sorted().toArray());
        String verdict = !reasons.isEmpty() ? TortureResult.FAILURE
                : interrupted ? TortureResult.INTERRUPTED : TortureResult.SUCCESS;
        return new TortureResult(verdict, interrupted, started, config.asJson(),
                intervals, summary, reasons, all, String.join(" ", config.replayCommand()), scenario,
                abandoned);
    }

    private static Map<String, Long> machineCounters(Machine machine) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Stat s : Stat.values()) {
            // A maximum per CPU, not a count: the machine's is the largest.
            long v = s == Stat.KMAP_LOCAL_MAX_DEPTH ? machine.kmapLocal().maxDepth() : machine.statTotal(s);
            m.put(s.name().toLowerCase(Locale.ROOT), v);
        }
        return m;
    }

    private static Map<String, Long> harnessCounters(List<Worker> workers, RunControl control) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rounds", sum(workers, WorkerStats.ROUNDS));
        m.put("words_verified", sum(workers, WorkerStats.WORDS_VERIFIED));
        m.put("context_switches", sum(workers, WorkerStats.CONTEXT_SWITCHES));
        m.put("interrupts", sum(workers, WorkerStats.INTERRUPTS));
        m.put("long_holds", sum(workers, WorkerStats.LONG_HOLDS));
        m.put("stutter_pauses", control.pauses());
        return m;
    }

    private static long sum(List<Worker> workers, int extra) {
        return workers.stream().mapToLong(w -> w.stats().extra(extra)).sum();
    }

    private static Map<String, Long> reports(Machine machine) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<ReportKind, Long> e : machine.log().countsByKind().entrySet()) {
            m.put(e.getKey().name(), e.getValue());
        }
        return m;
    }

    private static List<String> reasons(List<Failure> all, List<String> abandoned) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < Math.min(all.size(), MAX_REASONS); i++) {
            Failure f = all.get(i);
            r.add(String.format("%sat %.3f s on CPU#%d: %s", i == 0 ? "" : "then ", f.atNanos() / 1e9,
                    f.cpu(), f.headline()));
        }
        if (all.size() > MAX_REASONS) {
            r.add("and " + (all.size() - MAX_REASONS) + " more failures");
        }
        if (!abandoned.isEmpty()) {
            r.add("still stuck when the run gave up waiting for them: " + String.join(", ", abandoned));
        }
        return r;
    }

    /** A report as dmesg prints it, the time since the machine was built in front of each line. */
    private static List<String> dmesg(Report r) {
        String stamp = String.format("[%5d.%06d] ", r.nanosSinceBoot() / 1_000_000_000L,
                (r.nanosSinceBoot() / 1_000L) % 1_000_000L);
        return r.lines().stream().map(l -> stamp + l).toList();
    }
}
