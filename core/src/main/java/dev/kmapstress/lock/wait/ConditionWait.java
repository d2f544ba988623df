package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Task;
import dev.kmapstress.sched.WaitQueueHead;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code condition} wait strategy: a sleeper blocks on a {@link Condition} of a JVM lock
 * (one per wait queue) until its task is TASK_RUNNING; the waker wakes the queue's tasks (sets
 * their state, under the queue's lock, as the kernel does) and then signals the condition.
 *
 * <p>No lost wake-up: the sleeper tests its state while holding the JVM lock and
 * {@link Condition#awaitNanos} releases that lock atomically, while the waker sets the state
 * before it takes the JVM lock to signal; so either the sleeper sees the state or it is already
 * waiting when the signal comes. Like {@code schedule()}, the CPU counts as idle while blocked,
 * a sleep longer than the machine's hung-task timeout is reported (and goes on), and a stopped
 * machine ends it.
 */
final class ConditionWait implements WaitStrategy {

    /** How often a blocked sleeper looks whether the machine was stopped. */
    private static final long STOP_POLL_NANOS = 50_000_000L;

    private final MachineContext machine;
    private final WaitQueueHead queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();

    ConditionWait(MachineContext machine, WaitQueueHead queue) {
        this.machine = machine;
        this.queue = queue;
    }

    @Override
    public void sleep(Cpu cpu) {
        Task task = cpu.current();
        long timeout = machine.config().hungTaskTimeout().toNanos();
        long since = System.nanoTime();
        long nextCheck = since + timeout;
        boolean interrupted = false;
        cpu.goIdle();
        lock.lock();
        try {
            while (task.state() != Task.TASK_RUNNING) {
                cpu.checkStop();
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    machine.reports().hungTask(cpu, task, now - since);
                    nextCheck = now + timeout;
                }
                try {
                    // A stop cannot signal this condition: look at it now and then.
                    woken.awaitNanos(Math.min(nextCheck - now, STOP_POLL_NANOS));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
            cpu.resume();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void wakeUp(Cpu cpu) {
        queue.wakeUp(cpu);
        lock.lock();
        try {
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
