package dev.kmapstress.lock;

import dev.kmapstress.locking.Spinlock;

/**
 * What a lock strategy may know about the CPU that is taking the lock.
 *
 * <p>A strategy never touches the kernel's per-CPU state itself (preempt_count, IRQ flags):
 * the {@link Spinlock} wrappers do that around it. While it waits, a strategy calls
 * {@link #cpuRelax()} once per spin, or brackets a blocking wait with
 * {@link #blockingWaitBegin()} / {@link #blockingWaitEnd()}, so that a CPU waiting with IRQs
 * enabled still acknowledges TLB-shootdown IPIs and one waiting with IRQs disabled does not.
 */
public interface CpuContext {

    /** The CPU number, {@code 0 ≤ id < nrCpus} of the machine the lock belongs to. */
    int id();

    /**
     * The nesting context the CPU is running in: 0 task, 1 softirq, 2 hardirq, 3 NMI. Queue
     * locks that keep a node from lock to unlock (MCS, CLH) use one node per CPU and context, so
     * that an interrupt handler on a CPU that already holds or waits for such a lock uses a node
     * of its own. (qspinlock numbers its nodes as the kernel does, by a per-CPU count of nested
     * slow paths, which separates the contexts the same way.)
     */
    int nestingContext();

    /**
     * Models {@code cpu_relax()} inside a spin loop: a pause hint, an IRQ-enabled point at which
     * pending IPIs are acknowledged (only if IRQs are enabled) and the lockup detector's check.
     * A CPU that has spun longer than the machine's lockup threshold is reported (soft or hard
     * lockup) and spins on, so a lock's waiter never leaves its queue for a report; it throws
     * only once the harness has stopped the machine (a {@code CpuStopped}), which leaves the lock
     * as it was. A wait re-tests its condition at least once per 1,024 calls and does not end by
     * counting calls past that: on a machine with {@code lockup-proof} (the JCStress suite), a
     * CPU seen spinning that long in one wait while every other CPU does the same is reported as
     * locked up.
     */
    void cpuRelax();

    /**
     * Called before a strategy blocks its thread (parks, waits on a monitor). A CPU that blocks
     * with IRQs enabled counts as idle meanwhile, so IPIs sent to it are taken when it resumes;
     * with IRQs disabled it stays unable to acknowledge, as a real CPU would.
     */
    void blockingWaitBegin();

    /** Called after a blocking wait ends; takes the IPIs that arrived meanwhile. */
    void blockingWaitEnd();
}
