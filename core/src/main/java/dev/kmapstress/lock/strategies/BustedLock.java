package dev.kmapstress.lock.strategies;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;

/**
 * <b>Deliberately broken</b>, a negative control: lock, unlock and trylock do nothing (trylock
 * always succeeds), like locktorture's {@code lock_busted}. Every instrument must report a
 * failure when kmap_lock is this; one that does not is not testing anything.
 */
public final class BustedLock implements LockStrategy {

    /** Registers the strategy as {@code busted}, flagged broken. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "busted"; }
        @Override public String description() {
            return "BROKEN on purpose (negative control): lock and unlock do nothing";
        }
        @Override public LockStrategy create(int nrCpus) { return new BustedLock(); }
        @Override public boolean broken() { return true; }
    }

    @Override
    public void lock(CpuContext cpu) {
        // Nothing: that is the point.
    }

    @Override
    public void unlock(CpuContext cpu) {
        // Nothing either.
    }

    /** Nothing to wait for. */
    @Override
    public boolean unlockWaits() {
        return false;
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return true;
    }
}
