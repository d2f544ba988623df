package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * The test-and-set spinlock: every attempt is an atomic exchange of 1 into the lock word.
 * Simplest correct spinlock; unfair, and every spinning CPU writes the shared line on every
 * attempt, so the line bounces between waiters even while the lock is held.
 *
 * <p>Algorithmic notes: the exchange is acquire (it orders the critical section after it),
 * the release store of 0 orders the critical section before the next holder's exchange.
 */
public final class TasLock implements LockStrategy {

    /** Registers the strategy as {@code tas}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "tas"; }
        @Override public String description() {
            return "test-and-set: atomic exchange per attempt; unfair, waiters hammer the line";
        }
        @Override public LockStrategy create(int nrCpus) { return new TasLock(); }
    }

    private static final int WORD = Padded.at(0, 0);

    private final int[] words = Padded.lines(1);

    @Override
    public void lock(CpuContext cpu) {
        while ((int) INT.getAndSetAcquire(words, WORD, 1) != 0) {
            cpu.cpuRelax();
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        INT.setRelease(words, WORD, 0);
    }

    /** A release store: nothing to wait for. */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return (int) INT.getAndSetAcquire(words, WORD, 1) == 0;
    }
}
