package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.sched.Task;
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
 * waiting when the signal comes. Like {@code schedule()}, the CPU counts as idle while blocked
 * and the wait ends in the hung-task report after the machine's hung-task timeout.
 */
final class ConditionWait implements WaitStrategy {

    private final Machine machine;
    private final WaitQueueHead queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();

    ConditionWait(Machine machine, WaitQueueHead queue) {
        this.machine = machine;
        this.queue = queue;
    }

    @Override
    public void sleep(Cpu cpu) {
        Task task = cpu.current();
        long timeout = machine.config().hungTaskTimeout().toNanos();
        long since = System.nanoTime();
        boolean interrupted = false;
        cpu.goIdle();
        lock.lock();
        try {
            while (task.state() != Task.TASK_RUNNING) {
                long left = since + timeout - System.nanoTime();
                if (left <= 0) {
                    throw machine.watchdog().hungTask(cpu, task, System.nanoTime() - since);
                }
                try {
                    woken.awaitNanos(left);
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
