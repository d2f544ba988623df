package com.example.mylock;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Broken on purpose, to show the instruments catch a user's mistake: a test-and-set lock that
 * "avoids deadlock" by giving up after a bounded spin and entering anyway. Under contention two
 * CPUs hold kmap_lock at once, and torture reports the model's BUG or a data mismatch.
 */
public final class GiveUpSpinLock implements LockStrategy {

    /** Spins before the lock gives up waiting (the mistake). */
    private static final int PATIENCE = 4;

    /** Registers the lock as {@code my-lock-gives-up}, declared broken like locktorture's lock_busted. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "my-lock-gives-up"; }
        @Override public String description() {
            return "example user lock, BROKEN on purpose: enters after a bounded spin even if the lock is held";
        }
        @Override public LockStrategy create(int nrCpus) { return new GiveUpSpinLock(); }
        @Override public boolean broken() { return true; }
    }

    private final AtomicBoolean locked = new AtomicBoolean();

    @Override
    public void lock(CpuContext cpu) {
        for (int spins = 0; !locked.compareAndSet(false, true) && spins < PATIENCE; spins++) {
            cpu.cpuRelax();
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        locked.set(false);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return locked.compareAndSet(false, true);
    }
}
