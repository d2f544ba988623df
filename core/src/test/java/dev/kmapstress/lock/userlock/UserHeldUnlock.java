package dev.kmapstress.lock.userlock;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A user's lock whose unlock can wait, as a queue lock's does for its successor: test-and-set,
 * with an unlock that spins through cpu_relax() while a test holds it back
 * ({@link #holdUnlocks}; never otherwise). Registered beside {@link UserSpinLock}, so it goes
 * through every test the real strategies go through. It keeps the default
 * {@code unlockWaits() == true}, so {@code Spinlock} notes the lock for the lockup detector
 * around its unlock: {@code UnlockWaitNoteTest} checks that note.
 */
public final class UserHeldUnlock implements LockStrategy {

    /** Registers the lock as {@code user-held-unlock}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "user-held-unlock"; }
        @Override public String description() {
            return "test-scope user lock: test-and-set whose unlock a test can hold back";
        }
        @Override public LockStrategy create(int nrCpus) { return new UserHeldUnlock(); }
    }

    private final AtomicBoolean locked = new AtomicBoolean();
    private volatile boolean holdUnlocks;

    /** While true, every unlock spins before it releases the lock. */
    public void holdUnlocks(boolean hold) {
        holdUnlocks = hold;
    }

    @Override
    public void lock(CpuContext cpu) {
        while (locked.getAndSet(true)) {
            cpu.cpuRelax();
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        while (holdUnlocks) {
            cpu.cpuRelax();
        }
        locked.set(false);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return !locked.getAndSet(true);
    }
}
