package dev.kmapstress.lock.strategies;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * A lock built on a Java monitor ({@code synchronized}, {@code wait}, {@code notify}): the
 * other thing a naive Java port would write. A monitor cannot be held from one method call to
 * another, so the lock is a {@code held} flag guarded by the monitor; waiters {@code wait()} on
 * it and each unlock notifies one. Unfair (a thread arriving at the right moment barges past a
 * notified one), and every hand-over to a waiter costs a park and an unpark.
 *
 * <p>Waiting is sliced like {@link ReentrantLockStrategy}'s ({@link SlicedWait}), so a CPU with
 * IRQs on takes its IPIs and the lockup detector sees a CPU that waits too long.
 */
public final class SynchronizedLock implements LockStrategy {

    /** Registers the strategy as {@code synchronized}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "synchronized"; }
        @Override public String description() {
            return "a Java monitor (synchronized + wait/notify): unfair, parks waiters";
        }
        @Override public LockStrategy create(int nrCpus) { return new SynchronizedLock(); }
    }

    /** Guarded by this object's monitor. */
    private boolean held;
    private final SlicedWait.Attempt attempt = this::awaitSlice;

    @Override
    public void lock(CpuContext cpu) {
        if (!tryLock(cpu)) {
            SlicedWait.acquire(cpu, attempt);
        }
    }

    private synchronized boolean awaitSlice(long nanos) throws InterruptedException {
        if (held) {
            wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
        if (held) {
            return false;
        }
        held = true;
        return true;
    }

    @Override
    public synchronized void unlock(CpuContext cpu) {
        held = false;
        notify();
    }

    @Override
    public synchronized boolean tryLock(CpuContext cpu) {
        if (held) {
            return false;
        }
        held = true;
        return true;
    }
}
