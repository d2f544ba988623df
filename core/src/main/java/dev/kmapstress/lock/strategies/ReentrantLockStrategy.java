package dev.kmapstress.lock.strategies;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ReentrantLock} as kmap_lock: what a naive Java port would use, and the baseline every
 * chart compares against. It parks waiting threads instead of spinning.
 *
 * <p>A parked CPU cannot run the kernel's IRQ-enabled points, so the adapter waits in bounded
 * slices ({@link SlicedWait}): between slices it calls {@link CpuContext#cpuRelax()} (lockup
 * detection, IPIs when IRQs are on), and while parked the CPU counts as idle if its IRQs are
 * on, so a TLB shootdown sent by the lock holder never waits for a parked CPU.
 *
 * <p>The fair variant hands the lock over in queue order within a slice, but a waiter whose
 * slice expires leaves the queue and joins it again at the tail, so its order is not strictly
 * FIFO and it does not claim {@link LockStrategyProvider#fifo()}.
 */
public final class ReentrantLockStrategy implements LockStrategy {

    /** Registers the unfair variant as {@code reentrant}. */
    public static final class Unfair implements LockStrategyProvider {
        @Override public String name() { return "reentrant"; }
        @Override public String description() {
            return "java.util.concurrent ReentrantLock (unfair): barging, parks waiters";
        }
        @Override public LockStrategy create(int nrCpus) { return new ReentrantLockStrategy(false); }
    }

    /** Registers the fair variant as {@code reentrant-fair}. */
    public static final class Fair implements LockStrategyProvider {
        @Override public String name() { return "reentrant-fair"; }
        @Override public String description() {
            return "ReentrantLock (fair): queue-order hand-over, parks waiters; slow under contention";
        }
        @Override public LockStrategy create(int nrCpus) { return new ReentrantLockStrategy(true); }
    }

    private final ReentrantLock lock;
    private final SlicedWait.Attempt attempt;

    ReentrantLockStrategy(boolean fair) {
        this.lock = new ReentrantLock(fair);
        this.attempt = nanos -> lock.tryLock(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lock(CpuContext cpu) {
        if (!lock.tryLock()) {
            SlicedWait.acquire(cpu, attempt);
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        lock.unlock();
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return lock.tryLock();
    }
}
