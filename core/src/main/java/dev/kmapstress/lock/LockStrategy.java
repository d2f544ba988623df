package dev.kmapstress.lock;

import dev.kmapstress.locking.Spinlock;

/**
 * One mutual-exclusion algorithm, as locktorture's lock-ops table: lock, unlock, trylock.
 *
 * <p>An instance guards one lock (kmap_lock, one page_address bucket, one wait-queue head).
 * Implementations must not allocate in {@link #lock}/{@link #unlock}: queue nodes are
 * preallocated per CPU (and per nesting context) at creation, as the kernel does. While waiting
 * they call {@link CpuContext#cpuRelax()} per spin, or bracket a blocking wait with
 * {@link CpuContext#blockingWaitBegin()}/{@link CpuContext#blockingWaitEnd()}. Kernel state
 * (preempt_count, IRQ flags) is handled by {@link Spinlock}, never here.
 */
public interface LockStrategy {

    /** Acquires the lock for {@code cpu}, waiting as long as it takes. */
    void lock(CpuContext cpu);

    /** Releases the lock; the caller holds it. */
    void unlock(CpuContext cpu);

    /**
     * Tries once to acquire the lock; never waits.
     *
     * @throws UnsupportedOperationException for algorithms that cannot abandon an attempt
     *         (see {@link LockStrategyProvider#supportsTryLock()})
     */
    boolean tryLock(CpuContext cpu);

    /**
     * Whether {@link #unlock} can wait: spin with {@link CpuContext#cpuRelax()} or block (MCS
     * waits there for a successor to link itself). {@link Spinlock} notes, for the lockup
     * detector's report, which lock a CPU waits for around such an unlock only; around one that
     * never waits (a store or one atomic) the note would cost every release and name nothing.
     * True unless the strategy says otherwise, so an unlock that waits is always named.
     */
    default boolean unlockWaits() {
        return true;
    }
}
