package dev.kmapstress.sched;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The parts of kernel/sched the highmem code relies on: task states, {@code schedule()},
 * {@code try_to_wake_up()}, the {@code might_sleep()} check, and context switches between the
 * tasks sharing a CPU ({@link #contextSwitch}, {@link #fork}), which carry the tasks'
 * kmap_local mappings.
 *
 * <p>A task sleeps by parking its thread until its state is TASK_RUNNING again. The state is
 * the truth and the park only a way to wait for it, so a wake-up that comes before the park is
 * never lost: the waker sets the state and then unparks the thread it reads; the sleeper
 * publishes its thread and then reads the state.
 */
public final class Scheduler {

    /** The kernel rate-limits might_sleep reports to one per HZ. */
    private static final long MIGHT_SLEEP_INTERVAL_NANOS = 1_000_000_000L;
    static final Site SET_TASK_CPU_MIGRATION_DISABLED = new Site("kernel/sched/core.c", 3162, "set_task_cpu");
    /** The first task's pid; later tasks count on from it. */
    private static final int FIRST_PID = 100;

    private final MachineContext machine;
    private final Tracer tracer;
    /** mm's kmap_local hooks, handed over once mm is built and before any task switches. */
    private KmapLocalHooks kmapLocal;
    private final AtomicInteger nextPid = new AtomicInteger(FIRST_PID);
    private final AtomicLong lastMightSleepReport = new AtomicLong(Long.MIN_VALUE);
    private final boolean noSchedInRestore;

    public Scheduler(MachineContext machine) {
        this.machine = machine;
        this.tracer = machine.tracer();
        this.noSchedInRestore = machine.config().has(Fault.NO_SCHED_IN_RESTORE);
    }

    /**
     * Hands the scheduler the hooks of kmap_local it calls on a context switch and a fork; the
     * machine does this once, after building mm (which needs the scheduler first).
     */
    public void setKmapLocalHooks(KmapLocalHooks hooks) {
        this.kmapLocal = hooks;
    }

    /** The machine's tracer, or null. */
    Tracer tracer() {
        return tracer;
    }

    /** Models {@code kernel_clone()} for our purpose: a new task with the next pid. */
    public Task newTask(String name) {
        return new Task(name, nextPid.getAndIncrement());
    }

    /**
     * Models {@code nr_threads}: the tasks made so far (the model's tasks never exit). Each has
     * one wait-queue entry, so an intact wait queue never lists more entries than this.
     */
    public int nrThreads() {
        return nextPid.get() - FIRST_PID;
    }

    /**
     * Makes {@code task}, which runs nowhere, the first current task of {@code cpu}; the machine
     * does this once per CPU when it is built, as {@code init_idle()} places each CPU's first
     * task.
     */
    public void startTask(Cpu cpu, Task task) {
        if (cpu.current() != null || !task.claimCpu()) {
            throw new IllegalStateException("cannot start " + task + " on " + cpu
                    + ": the CPU already runs a task or the task runs elsewhere");
        }
        task.setCpu(cpu.id());
        cpu.setCurrent(task);
    }

    /**
     * Models {@code copy_process()} as far as kmap_local sees it: the child starts as a copy of
     * the current task, {@code kmap_ctrl} included, and {@code kmap_local_fork()} then empties
     * its stack (with a WARNING if the parent held kmap_local mappings). The child has the next
     * pid, is placed on the parent's CPU and runs once a {@link #contextSwitch} picks it.
     */
    public Task fork(Cpu cpu, String name) {
        Task child = newTask(name);
        child.kmapCtrl().copyFrom(cpu.current().kmapCtrl());
        child.setCpu(cpu.id());
        kmapLocal.kmapLocalFork(cpu, child);
        // Publishes the child's state to whichever CPU claims it first.
        child.releaseCpu();
        return child;
    }

    /**
     * Models a preemption of {@code cpu}'s current task in favour of {@code next}
     * ({@code preempt_schedule()} → {@code __schedule()} → {@code context_switch()}):
     * {@code prepare_task_switch} runs {@code __kmap_local_sched_out} for the outgoing task
     * (clearing its live fixmap PTEs), the task's migrate_disable and pagefault_disable depths
     * are saved in it and {@code next}'s loaded, and {@code finish_task_switch} gives the
     * outgoing task up and runs {@code __kmap_local_sched_in} for {@code next} (restoring its
     * PTEs; skipped with fault {@link Fault#NO_SCHED_IN_RESTORE}). Call it from the thread
     * running {@code cpu}, between two steps of its task; {@code next} may have last run on
     * another CPU (a migration).
     *
     * @return whether the switch happened. False, with nothing changed, when the CPU is not
     *         preemptible (preempt_count non-zero or IRQs off, which includes interrupt
     *         context, spinlocks and kmap_atomic: preempt_schedule() returns at once), or when
     *         {@code next} would move to this CPU while migration-disabled (a task inside
     *         kmap_local_page; the WARN_ON_ONCE of set_task_cpu reports the first attempt)
     * @throws IllegalStateException if another CPU runs {@code next}
     */
    public boolean contextSwitch(Cpu cpu, Task next) {
        Task prev = cpu.current();
        if (next == prev) {
            return true;
        }
        if (cpu.preemptCount() != 0 || cpu.irqsDisabled()) {
            return false;
        }
        if (!next.claimCpu()) {
            throw new IllegalStateException("task " + next + " is running on CPU " + next.cpu()
                    + "; " + cpu + " cannot switch to it");
        }
        if (!setTaskCpu(cpu, next)) {
            next.releaseCpu();
            return false;
        }
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, next, "context_switch " + prev + " " + next);
        kmapLocal.kmapLocalSchedOut(cpu);
        prev.saveDepths(cpu.migrateDisableCount(), cpu.pagefaultDisableCount());
        cpu.setCurrent(next);
        cpu.loadTaskDepths(next.migrationDisabled(), next.pagefaultDisabled());
        prev.releaseCpu();
        if (!noSchedInRestore) {
            kmapLocal.kmapLocalSchedIn(cpu);
        }
        return true;
    }

    /**
     * Models {@code set_task_cpu()} with its migration check: a migration-disabled task may
     * not change CPUs (WARN_ON_ONCE, and the move is refused, as the kernel's placement never
     * picks another CPU for it).
     */
    private boolean setTaskCpu(Cpu cpu, Task task) {
        if (task.cpu() >= 0 && task.cpu() != cpu.id() && task.migrationDisabled() != 0) {
            machine.reports().warnOnce(cpu, SET_TASK_CPU_MIGRATION_DISABLED);
            return false;
        }
        task.setCpu(cpu.id());
        return true;
    }

    /** Models {@code __set_current_state()}. */
    public void setCurrentState(Cpu cpu, int state) {
        cpu.current().setState(state);
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, "set_current_state " + stateName(state));
    }

    private static String stateName(int state) {
        return state == Task.TASK_RUNNING ? "TASK_RUNNING" : "TASK_UNINTERRUPTIBLE";
    }

    /**
     * Models {@code schedule()} for a task that set a sleeping state: the CPU's thread sleeps
     * (the CPU is idle meanwhile) until the task is woken. Returns at once if it already was.
     * A task asleep longer than the machine's hung-task timeout is reported, as
     * {@code khungtaskd} does, after each further timeout while the warnings last, and sleeps
     * on: a hung task is a report, not the end of the sleep.
     *
     * @throws dev.kmapstress.machine.CpuStopped if the machine is stopped meanwhile
     *         (the machine's {@code smpSendStop}); the task is then still TASK_UNINTERRUPTIBLE
     */
    public void schedule(Cpu cpu) {
        Task task = cpu.current();
        if (cpu.inAtomic()) {
            machine.log().report(ReportKind.SCHEDULE_WHILE_ATOMIC, cpu.id(), List.of(String.format(
                    "BUG: scheduling while atomic: %s/%d/0x%08x", task.name(), task.pid(),
                    cpu.preemptCount())));
        }
        if (task.state() == Task.TASK_RUNNING) {
            if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, task, "schedule: " + task + " runnable");
            return;
        }
        long timeout = machine.config().hungTaskTimeout().toNanos();
        long since = System.nanoTime();
        long nextCheck = since + timeout;
        task.setSleeper(Thread.currentThread());
        task.setSleepingSince(since);
        cpu.goIdle();
        if (tracer != null) tracer.trace(cpu, Tracepoint.SLEEP, task, "schedule: " + task + " sleeps");
        boolean interrupted = false;
        try {
            while (task.state() != Task.TASK_RUNNING) {
                cpu.checkStop();
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    machine.reports().hungTask(cpu, task, now - since);
                    nextCheck = now + timeout;
                }
                LockSupport.parkNanos(this, nextCheck - now);
                interrupted |= Thread.interrupted();
            }
            if (tracer != null) tracer.trace(cpu, Tracepoint.WOKEN, task, "schedule: " + task + " runs again");
        } finally {
            task.setSleepingSince(0);
            cpu.resume();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Models {@code try_to_wake_up()}: makes a sleeping task runnable. Returns whether it was
     * not running before.
     */
    public boolean tryToWakeUp(Task task) {
        if (task.state() == Task.TASK_RUNNING) {
            return false;
        }
        task.setState(Task.TASK_RUNNING);
        Thread t = task.sleeper();
        if (t != null) {
            LockSupport.unpark(t);
        }
        return true;
    }

    /**
     * Models {@code might_sleep()} (with CONFIG_DEBUG_ATOMIC_SLEEP): reports
     * "sleeping function called from invalid context" when called with preemption or IRQs
     * disabled; at most one report per second, as the kernel rate-limits it.
     */
    public void mightSleep(Cpu cpu, Site site) {
        if (cpu.preemptCount() == 0 && !cpu.irqsDisabled()) {
            return;
        }
        long now = System.nanoTime();
        long last = lastMightSleepReport.get();
        if (last != Long.MIN_VALUE && now - last < MIGHT_SLEEP_INTERVAL_NANOS
                || !lastMightSleepReport.compareAndSet(last, now)) {
            return;
        }
        Task task = cpu.current();
        machine.log().report(ReportKind.SLEEP_IN_ATOMIC, cpu.id(), List.of(
                "BUG: sleeping function called from invalid context at " + site.location(),
                String.format("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s",
                        cpu.inAtomic() ? 1 : 0, cpu.irqsDisabled() ? 1 : 0, task.pid(), task.name()),
                String.format("preempt_count: %x, expected: 0", cpu.preemptCount()),
                "Call Trace:", " " + site.function()));
    }
}
