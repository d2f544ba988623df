package dev.kmapstress.kernel;

import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Reports;
import dev.kmapstress.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns failures into the kernel's reports: BUG oopses, WARN_ON_ONCE, the soft/hard lockup
 * detectors (kernel/watchdog.c, kernel/watchdog_hld.c) and the hung-task detector
 * (kernel/hung_task.c). Lockups and hung tasks are detected by the waiting CPU itself (its spin
 * loop or its sleep) and are reports only, as in the kernel: the CPU goes on waiting, the
 * machine stays consistent (a FIFO lock's waiter keeps its place), and a harness that wants to
 * stop there calls {@link Machine#smpSendStop}. Only BUG (and a page fault) throw an
 * {@link Oops}, ending the CPU's operation.
 */
public final class Watchdog implements Reports {

    /** The kernel's default {@code sysctl_hung_task_warnings}: hung-task reports a boot may print. */
    public static final int HUNG_TASK_WARNINGS = 10;

    private final Machine machine;
    private final AtomicInteger hungTaskWarnings = new AtomicInteger(HUNG_TASK_WARNINGS);

    Watchdog(Machine machine) {
        this.machine = machine;
    }

    /** The kernel's {@code CPU: n PID: p Comm: name} line. */
    @Override
    public String cpuLine(Cpu cpu) {
        Task t = cpu.current();
        return String.format("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-kmap-stress", cpu.id(),
                t == null ? 0 : t.pid(), t == null ? "swapper" : t.name());
    }

    /**
     * Models {@code BUG()}: logs the oops at {@code site} and returns the exception to throw;
     * the CPU's operation stops there, locks it holds stay held.
     */
    @Override
    public Oops bug(Cpu cpu, Site site) {
        List<String> lines = new ArrayList<>();
        lines.add("------------[ cut here ]------------");
        lines.add("kernel BUG at " + site.location() + "!");
        lines.add("invalid opcode: 0000 [#1] PREEMPT SMP");
        lines.add(cpuLine(cpu));
        lines.add("EIP: " + site.function());
        return new Oops(machine.log().report(ReportKind.BUG, cpu.id(), lines));
    }

    /** Models {@code WARN_ON_ONCE(1)} at {@code site}: reports the first time only. */
    @Override
    public void warnOnce(Cpu cpu, Site site) {
        warnOnce(cpu, site, null);
    }

    /**
     * Models a once-only {@code WARN(1, message)} at {@code site} (message null: none), such
     * as {@code DEBUG_LOCKS_WARN_ON}, whose message the kernel prints before the WARNING line.
     */
    @Override
    public void warnOnce(Cpu cpu, Site site, String message) {
        if (!machine.log().claimOnce(site)) {
            return;
        }
        Task t = cpu.current();
        List<String> lines = new ArrayList<>();
        lines.add("------------[ cut here ]------------");
        if (message != null) {
            lines.add(message);
        }
        lines.add(String.format("WARNING: CPU: %d PID: %d at %s %s", cpu.id(), t.pid(),
                site.location(), site.function()));
        lines.add(cpuLine(cpu));
        lines.add("EIP: " + site.function());
        machine.log().report(ReportKind.WARNING, cpu.id(), lines);
    }

    /**
     * Models the report of {@code watchdog_timer_fn()}: {@code cpu} has spun with IRQs on for
     * {@code stuckNanos} without scheduling. Logs {@code watchdog: BUG: soft lockup - CPU#n stuck
     * for Ns! [comm:pid]} with every waiting CPU's state and Java stack; the CPU then goes on
     * spinning, as in the kernel ({@code softlockup_panic} is 0 by default).
     */
    @Override
    public void softLockup(Cpu cpu, long stuckNanos) {
        Task t = cpu.current();
        // Whole seconds spun, as watchdog_timer_fn() prints them: 0s for a lockup reported
        // within its first second (the lockup proof, a threshold under a second), which the
        // kernel's threshold of seconds never reports.
        lockupReport(ReportKind.SOFT_LOCKUP, cpu, String.format(
                "watchdog: BUG: soft lockup - CPU#%d stuck for %ds! [%s:%d]",
                cpu.id(), stuckNanos / 1_000_000_000L, t.name(), t.pid()));
    }

    /**
     * Models the report of {@code watchdog_overflow_callback()} (the perf NMI hard-lockup
     * detector): {@code cpu} has spun with IRQs off for longer than the threshold. Logs
     * {@code NMI watchdog: Watchdog detected hard LOCKUP on cpu n} with every waiting CPU's state
     * and stack; the caller reports once per wait, as the kernel's {@code hard_watchdog_warn}
     * does, and the CPU goes on ({@code hardlockup_panic} is 0 by default).
     */
    @Override
    public void hardLockup(Cpu cpu, long stuckNanos) {
        lockupReport(ReportKind.HARD_LOCKUP, cpu, "NMI watchdog: Watchdog detected hard LOCKUP on cpu " + cpu.id());
    }

    private void lockupReport(ReportKind kind, Cpu cpu, String headline) {
        List<String> lines = new ArrayList<>();
        lines.add(headline);
        lines.add("Modules linked in:");
        lines.add(cpuLine(cpu));
        long now = System.nanoTime();
        for (int i = 0; i < machine.nrCpus(); i++) {
            Cpu c = machine.cpu(i);
            long since = c.spinningSince();
            if (c != cpu && since == 0) {
                continue;
            }
            lines.add(String.format("CPU#%d spinning on %s for %d ms, IRQs %s, preempt_count %x",
                    c.id(), c.spinningOn(), (now - (since == 0 ? now : since)) / 1_000_000,
                    c.irqsDisabled() ? "disabled" : "enabled", c.preemptCount()));
            appendStack(lines, c.owner());
        }
        lines.add("kmap_lock held by CPU#" + machine.pkmap().kmapLock().holder());
        machine.log().report(kind, cpu.id(), lines);
    }

    /**
     * Models {@code check_hung_task()} for a task the caller found in TASK_UNINTERRUPTIBLE for
     * {@code blockedNanos} (the caller asks again after every further timeout, as
     * {@code khungtaskd} does). Logs {@code INFO: task comm:pid blocked for more than N seconds.}
     * with the task's stack and the model's state, while the machine's
     * {@code hung_task_warnings} (10, as in the kernel) last; the task sleeps on.
     */
    @Override
    public void hungTask(Cpu cpu, Task task, long blockedNanos) {
        if (hungTaskWarnings.getAndUpdate(w -> Math.max(0, w - 1)) == 0) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("INFO: task %s:%d blocked for more than %d seconds.", task.name(),
                task.pid(), Math.max(0, blockedNanos / 1_000_000_000L)));
        lines.add("      Not tainted 6.1.0-kmap-stress");
        lines.add("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
        lines.add(String.format("task:%-15s state:D pid:%-5d", task.name(), task.pid()));
        lines.add("Call Trace:");
        appendFrames(lines, Thread.currentThread().getStackTrace());
        lines.add("kmap_lock held by CPU#" + machine.pkmap().kmapLock().holder());
        StringBuilder waiters = new StringBuilder("pkmap wait queues:");
        for (int c = 0; c < machine.pkmap().colours(); c++) {
            waiters.append(" colour ").append(c).append(": ")
                    .append(machine.pkmap().getPkmapWaitQueueHead(c).length()).append(" waiting");
        }
        lines.add(waiters.toString());
        lines.add("pkmap_count: " + pkmapCounts());
        machine.log().report(ReportKind.HUNG_TASK, cpu.id(), lines);
    }

    private String pkmapCounts() {
        StringBuilder sb = new StringBuilder();
        int n = machine.layout().lastPkmap();
        for (int i = 0; i < Math.min(n, 64); i++) {
            sb.append(i == 0 ? "" : " ").append(machine.pkmap().pkmapCount(i));
        }
        return n > 64 ? sb + " ..." : sb.toString();
    }

    private static void appendStack(List<String> lines, Thread thread) {
        if (thread == null) {
            lines.add(" (no thread is running this CPU)");
            return;
        }
        lines.add("Call Trace (thread '" + thread.getName() + "'):");
        appendFrames(lines, thread.getStackTrace());
    }

    private static void appendFrames(List<String> lines, StackTraceElement[] frames) {
        int shown = 0;
        for (StackTraceElement f : frames) {
            if (f.getClassName().startsWith("java.lang.Thread") || shown >= 24) {
                continue;
            }
            lines.add("  " + f);
            shown++;
        }
    }
}
