package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * Test-and-test-and-set with bounded exponential backoff: a CPU reads the word until it looks
 * free, only then tries the atomic exchange, and after each lost race waits twice as long
 * (up to {@link #MAX_BACKOFF} spins) before looking again. Waiters spin on a shared read-only
 * copy of the line; unfair, and the backoff can leave the lock idle while all waiters back off.
 *
 * <p>Algorithmic notes: the test is an opaque read (it must see other CPUs' stores, but orders
 * nothing); the exchange is acquire and the unlock a release store, as in {@link TasLock}.
 */
public final class TtasLock implements LockStrategy {

    /** Registers the strategy as {@code ttas}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "ttas"; }
        @Override public String description() {
            return "test-and-test-and-set with bounded exponential backoff; unfair, less line traffic";
        }
        @Override public LockStrategy create(int nrCpus) { return new TtasLock(); }
    }

    /** The longest backoff, in spins; doubling stops here so a waiter keeps looking. */
    static final int MAX_BACKOFF = 1 << 10;

    private static final int WORD = Padded.at(0, 0);

    private final int[] words = Padded.lines(1);

    @Override
    public void lock(CpuContext cpu) {
        int backoff = 1;
        for (;;) {
            while ((int) INT.getOpaque(words, WORD) != 0) {
                cpu.cpuRelax();
            }
            if ((int) INT.getAndSetAcquire(words, WORD, 1) == 0) {
                return;
            }
            for (int i = 0; i < backoff; i++) {
                cpu.cpuRelax();
            }
            backoff = Math.min(backoff << 1, MAX_BACKOFF);
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
        return (int) INT.getOpaque(words, WORD) == 0
                && (int) INT.getAndSetAcquire(words, WORD, 1) == 0;
    }
}
