package dev.kmapstress.torture;

import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's own hung-task and lockup watchdog, a thread beside the workers. The model detects
 * its own hangs (a task asleep in schedule(), a CPU spinning in cpu_relax()) after the same
 * timeout and reports them from the stuck thread; this watchdog is the backstop for everything
 * else, so that a run ends with a report instead of hanging:
 * <ul>
 * <li>a task still in TASK_UNINTERRUPTIBLE, or a CPU still spinning, half a timeout after the
 *     model should have reported it (and no failure was recorded yet): reported in the
 *     kernel's words;</li>
 * <li>a worker that is running (not asleep, not spinning where the model sees it, not parked,
 *     not waiting for a sleeper, not in a long hold) but has not finished a step for a whole
 *     timeout, e.g. inside a lock
 *     strategy that busy-waits without cpu_relax(): reported as the soft-lockup detector
 *     would.</li>
 * </ul>
 * Each report carries the full {@link StateDump}; each worker is reported at most once.
 */
final class RunWatchdog implements Runnable {

    private final List<Worker> workers;
    private final Failures failures;
    private final long timeout;
    private final long grace;
    private final long period;
    private final long[] lastProgress;
    private final long[] lastChange;
    private final boolean[] reported;
    private volatile boolean over;
    private volatile Thread thread;

    RunWatchdog(List<Worker> workers, Duration timeout, Failures failures) {
        this.workers = workers;
        this.failures = failures;
        this.timeout = timeout.toNanos();
        this.grace = this.timeout + this.timeout / 2;
        this.period = Math.max(1_000_000L, Math.min(this.timeout / 4, 1_000_000_000L));
        this.lastProgress = new long[workers.size()];
        this.lastChange = new long[workers.size()];
        this.reported = new boolean[workers.size()];
    }

    /** Ends the watchdog's loop now, not a period later: the run's threads are gone when it returns. */
    void finish() {
        over = true;
        Thread t = thread;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long start = System.nanoTime();
        java.util.Arrays.fill(lastChange, start);
        while (!over) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, period);
            long now = System.nanoTime();
            for (int i = 0; i < workers.size(); i++) {
                if (!reported[i]) {
                    reported[i] = check(i, workers.get(i), now);
                }
            }
        }
    }

    /** Looks at one worker; true if it had to be reported. */
    private boolean check(int i, Worker w, long now) {
        if (failures.any()) {
            // The run is ending; a CPU left waiting by the first failure is the runner's to stop.
            return false;
        }
        long p = w.progress();
        Worker.State st = w.state();
        if (p != lastProgress[i] || st != Worker.State.RUNNING) {
            lastProgress[i] = p;
            lastChange[i] = now;
            return false;
        }
        Cpu cpu = w.cpu();
        Task task = cpu.current();
        long spinning = cpu.spinningSince();
        if (task.state() != Task.TASK_RUNNING) {
            // Wait strategies other than schedule() do not stamp sleepingSince.
            long since = task.sleepingSince() != 0 ? task.sleepingSince() : lastChange[i];
            return now - since > grace && hung(cpu, task, now - since);
        }
        if (spinning != 0) {
            return now - spinning > grace && lockup(cpu, task, now - spinning);
        }
        return now - lastChange[i] > timeout && lockup(cpu, task, now - lastChange[i]);
    }

    private boolean hung(Cpu cpu, Task task, long blocked) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("INFO: task %s:%d blocked for more than %d seconds.", task.name(),
                task.pid(), blocked / 1_000_000_000L));
        lines.add("      Not tainted 6.1.0-kmap-stress");
        lines.add("(kmap-stress run watchdog: the task sleeps on although the model's hung-task"
                + " detector should have reported it)");
        failures.watchdogReport(ReportKind.HUNG_TASK, cpu.id(), lines, blocked);
        return true;
    }

    private boolean lockup(Cpu cpu, Task task, long stuck) {
        List<String> lines = new ArrayList<>();
        if (cpu.irqsDisabled()) {
            lines.add("NMI watchdog: Watchdog detected hard LOCKUP on cpu " + cpu.id());
        } else {
            // Whole seconds, as the model's detector prints them (0s under a second).
            lines.add(String.format("watchdog: BUG: soft lockup - CPU#%d stuck for %ds! [%s:%d]",
                    cpu.id(), stuck / 1_000_000_000L, task.name(), task.pid()));
        }
        lines.add("(kmap-stress run watchdog: the CPU has made no progress"
                + (cpu.spinningSince() != 0 ? " spinning on " + cpu.spinningOn() : "")
                + " for " + stuck / 1_000_000 + " ms)");
        failures.watchdogReport(cpu.irqsDisabled() ? ReportKind.HARD_LOCKUP : ReportKind.SOFT_LOCKUP,
                cpu.id(), lines, stuck);
        return true;
    }
}
