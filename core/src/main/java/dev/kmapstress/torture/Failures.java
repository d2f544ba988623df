package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Collects a run's failures as they happen: every report the machine's kernel log receives
 * (any report is a failure: the faithful model makes none) and every error of the harness.
 * The first one ends the run; the ones after it are kept too, marked as following it (a CPU
 * that oopsed holding kmap_lock makes the others lock up, for instance).
 */
final class Failures {

    private final Machine machine;
    private final long startNanos;
    private final StateDump dump;
    private final List<Failure> list = new ArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);
    /** Set while this class logs a report itself, so the log's listener does not count it twice. */
    private final ThreadLocal<Boolean> logging = ThreadLocal.withInitial(() -> false);

    Failures(Machine machine, long startNanos, StateDump dump) {
        this.machine = machine;
        this.startNanos = startNanos;
        this.dump = dump;
    }

    /** Records a report of the kernel log; called on the reporting thread. */
    void report(Report r) {
        if (logging.get()) {
            return;
        }
        long stuck = stuckNanos(r);
        List<String> state = stuck >= 0 && none() ? dump.lines() : List.of();
        add(new Failure(System.nanoTime() - startNanos, r.kind(), r.cpu(), r.lines(), stuck, state));
    }

    /**
     * Logs a report of the run's watchdog into the kernel log and records it, with how long the
     * task or CPU had been stuck and the state of every worker.
     */
    void watchdogReport(ReportKind kind, int cpu, List<String> lines, long stuckNanos) {
        logging.set(true);
        try {
            machine.log().report(kind, cpu, lines);
        } finally {
            logging.set(false);
        }
        add(new Failure(System.nanoTime() - startNanos, kind, cpu, lines, stuckNanos, dump.lines()));
    }

    /** Records an error of the harness or an exception the model did not turn into a report. */
    void internal(int cpu, Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        List<String> lines = new ArrayList<>();
        lines.add("kmap-stress: unexpected " + t + " on CPU#" + cpu);
        Arrays.stream(w.toString().split("\n")).skip(1).limit(24).forEach(lines::add);
        add(new Failure(System.nanoTime() - startNanos, null, cpu, lines, -1, List.of()));
    }

    private synchronized boolean none() {
        return list.isEmpty();
    }

    private void add(Failure f) {
        synchronized (this) {
            list.add(f);
        }
        first.countDown();
    }

    /** How long the task or CPU of a hang report had been stuck; -1 for other reports. */
    private long stuckNanos(Report r) {
        if (r.cpu() < 0 || r.cpu() >= machine.nrCpus()) {
            return -1;
        }
        Cpu cpu = machine.cpu(r.cpu());
        long since = r.kind() == ReportKind.HUNG_TASK ? cpu.current().sleepingSince()
                : r.kind() == ReportKind.SOFT_LOCKUP || r.kind() == ReportKind.HARD_LOCKUP
                ? cpu.spinningSince() : 0;
        return since == 0 ? -1 : System.nanoTime() - since;
    }

    /** Whether anything failed. */
    boolean any() {
        return first.getCount() == 0;
    }

    /** Waits up to {@code nanos} for the first failure; true if there is one. */
    boolean await(long nanos) throws InterruptedException {
        return first.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Every failure so far, the first first. */
    synchronized List<Failure> all() {
        return List.copyOf(list);
    }
}
