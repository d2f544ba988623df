package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.Padded.INT;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * <b>Deliberately broken</b>, a negative control (seeded fault 14): test-then-set without an
 * atomic read-modify-write. A CPU waits until it reads 0 and then stores 1, so two CPUs that
 * both read 0 before either stores 1 are both inside. The memory orders are the correct ones
 * (acquire read, release unlock): only atomicity is missing, the realistic mistake.
 */
public final class RacyTasLock implements LockStrategy {

    /** Registers the strategy as {@code tas-racy}, flagged broken. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "tas-racy"; }
        @Override public String description() {
            return "BROKEN on purpose (negative control): test-then-set with no atomic exchange";
        }
        @Override public LockStrategy create(int nrCpus) { return new RacyTasLock(); }
        @Override public boolean broken() { return true; }
    }

    private static final int WORD = Padded.at(0, 0);

    private final int[] words = Padded.lines(1);

    @Override
    public void lock(CpuContext cpu) {
        while ((int) INT.getAcquire(words, WORD) != 0) {
            cpu.cpuRelax();
        }
        // The bug: another CPU may have read 0 too, between our read and this store.
        INT.setRelease(words, WORD, 1);
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
        if ((int) INT.getAcquire(words, WORD) != 0) {
            return false;
        }
        INT.setRelease(words, WORD, 1);
        return true;
    }
}
