package dev.kmapstress.sched;

import dev.kmapstress.log.ReportKind;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The parts of kernel/sched the highmem code relies on: task states, {@code schedule()},
 * {@code try_to_wake_up()} and the {@code might_sleep()} check.
 *
 * <p>A task sleeps by parking its thread until its state is TASK_RUNNING again. The state is
 * the truth and the park only a way to wait for it, so a wake-up that comes before the park is
 * never lost: the waker sets the state and then unparks the thread it reads; the sleeper
 * publishes its thread and then reads the state.
 */
public final class Scheduler {

    /** The kernel rate-limits might_sleep reports to one per HZ. */
    private static final long MIGHT_SLEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final Machine machine;
    private final Tracer tracer;
    private final AtomicInteger nextPid = new AtomicInteger(100);
    private final AtomicLong lastMightSleepReport = new AtomicLong(Long.MIN_VALUE);

    public Scheduler(Machine machine) {
        this.machine = machine;
        this.tracer = machine.tracer();
    }

    /** The machine's tracer, or null. */
    Tracer tracer() {
        return tracer;
    }

    /** Models {@code kernel_clone()} for our purpose: a new task with the next pid. */
    public Task newTask(String name) {
        return new Task(name, nextPid.getAndIncrement());
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
     *
     * @throws dev.kmapstress.log.Oops the hung-task report, if the task sleeps longer than the
     *         machine's hung-task timeout
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
        task.sleeper = Thread.currentThread();
        task.sleepingSince = since;
        cpu.goIdle();
        if (tracer != null) tracer.trace(cpu, Tracepoint.SLEEP, task, "schedule: " + task + " sleeps");
        boolean interrupted = false;
        try {
            while (task.state() != Task.TASK_RUNNING) {
                long left = since + timeout - System.nanoTime();
                if (left <= 0) {
                    throw machine.watchdog().hungTask(cpu, task, System.nanoTime() - since);
                }
                LockSupport.parkNanos(this, left);
                interrupted |= Thread.interrupted();
            }
            if (tracer != null) tracer.trace(cpu, Tracepoint.WOKEN, task, "schedule: " + task + " runs again");
        } finally {
            task.sleepingSince = 0;
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
        Thread t = task.sleeper;
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
