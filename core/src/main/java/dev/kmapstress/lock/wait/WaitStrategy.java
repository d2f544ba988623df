package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.Cpu;

/**
 * How a task waits on a pkmap wait queue for a free PKMAP slot, and how it is woken: the two
 * steps of mm/highmem.c's protocol that a port may implement differently. The rest of the
 * protocol stays the kernel's for every strategy (see {@code mm.Pkmap}): under kmap_lock the
 * waiter sets TASK_UNINTERRUPTIBLE and enqueues itself on the {@code WaitQueueHead}, then drops
 * the lock and calls {@link #sleep}; kunmap_high tests the queue under kmap_lock and calls
 * {@link #wakeUp} after dropping it. Since the waiter is visible on the queue before it drops
 * kmap_lock, and the waker sets the task's state before it wakes the thread, no strategy can
 * lose a wake-up: a sleeper only ever waits while its task is not yet TASK_RUNNING.
 *
 * <p>Strategies are chosen by name ({@code wait-strategy=NAME}, see {@link WaitStrategies});
 * one instance serves one wait queue.
 */
public interface WaitStrategy {

    /**
     * Models the {@code schedule()} of a task that is queued and TASK_UNINTERRUPTIBLE: returns
     * once the task is TASK_RUNNING again.
     *
     * A task not woken within the machine's hung-task timeout is reported and sleeps on.
     *
     * @throws dev.kmapstress.machine.CpuStopped if the machine is stopped meanwhile
     */
    void sleep(Cpu cpu);

    /** Models {@code wake_up()} on the queue: every queued task becomes TASK_RUNNING and resumes. */
    void wakeUp(Cpu cpu);
}
