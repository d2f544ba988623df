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
 * <p>Made non-reentrant, as every spinlock is: a CPU that takes the lock again while it holds
 * it (a recursive {@code spin_lock}, or an interrupt handler on the holder's CPU) is not let
 * in but spins on it, an AA deadlock, until the lockup detector reports it; on a machine with
 * {@code lockdep=true} the validator reports the recursion first ("possible recursive locking
 * detected"), as for every strategy. A JVM lock's owner is a thread, and a CPU is one thread
 * while it holds a spinlock (preemption is off), so "held by the current thread" is "held by
 * this CPU".
 *
 * <p>A parked CPU cannot run the kernel's IRQ-enabled points, so the adapter waits in bounded
 * slices ({@link SlicedWait}): between slices it calls {@link CpuContext#cpuRelax()} (lockup
 * detection, IPIs when IRQs are on), and while parked the CPU counts as idle if its IRQs are
 * on, so a TLB shootdown sent by the lock holder never waits for a parked CPU.
 *
 * <p>The fair variant never barges, trylock included ({@link ReentrantLock#tryLock()} would,
 * even on a fair lock: it uses the timed form, which honours the queue). It hands the lock over
 * in queue order within a slice, but a waiter whose slice expires leaves the queue and joins
 * it again at the tail, so its order is not strictly FIFO and it does not claim
 * {@link LockStrategyProvider#fifo()}.
 *
 * <p>Why the fair variant is slow under contention: it convoys. Each unlock hands the lock to
 * the parked waiter, and the releasing CPU, wanting it again, must queue and park behind it,
 * so every acquisition costs a park and a wake-up until one CPU stops asking. A waiter queued
 * behind one whose thread the host has not yet run again may not take the free lock either:
 * its slices expire, and each expiry cancels its node in the JDK's queue. JDK 17 builds without
 * the fix for JDK-8386085 can livelock in that cancellation path
 * ({@code AbstractQueuedSynchronizer.cleanQueue}) when several threads time out at once; a CPU
 * caught there spins inside the JDK, out of reach of the lockup detector and of a machine stop.
 */
public final class ReentrantLockStrategy implements LockStrategy {

    /** Registers the unfair variant as {@code reentrant}. */
    public static final class Unfair implements LockStrategyProvider {
        @Override public String name() { return "reentrant"; }
        @Override public String description() {
            return "java.util.concurrent ReentrantLock (unfair), without reentry: barging, parks waiters";
        }
        @Override public LockStrategy create(int nrCpus) { return new ReentrantLockStrategy(false); }
    }

    /** Registers the fair variant as {@code reentrant-fair}. */
    public static final class Fair implements LockStrategyProvider {
        @Override public String name() { return "reentrant-fair"; }
        @Override public String description() {
            return "ReentrantLock (fair), without reentry: queue-order hand-over, parks waiters; slow under contention";
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
        if (tryLock(cpu)) {
            return;
        }
        // AA deadlock: this CPU holds the lock. Spin on it as a spinlock would; nothing but the
        // lockup detector (or the harness stopping the machine) ends this.
        while (lock.isHeldByCurrentThread()) {
            cpu.cpuRelax();
        }
        SlicedWait.acquire(cpu, attempt);
    }

    @Override
    public void unlock(CpuContext cpu) {
        lock.unlock();
    }

    /** Fails on a lock this CPU holds, as {@code spin_trylock} does; never barges on the fair lock. */
    @Override
    public boolean tryLock(CpuContext cpu) {
        if (lock.isHeldByCurrentThread()) {
            return false;
        }
        if (!lock.isFair()) {
            return lock.tryLock();
        }
        try {
            return attempt.tryAcquire(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying a lock", e);
        }
    }

    /** Whether a CPU is queued for the lock (tests). */
    boolean hasQueuedThreads() {
        return lock.hasQueuedThreads();
    }
}
