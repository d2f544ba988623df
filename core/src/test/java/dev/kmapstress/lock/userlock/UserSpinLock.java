package dev.kmapstress.lock.userlock;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.lock.LockStrategyProvider;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock as a user would bring one: written against the public service interface only, and
 * registered in this module's test resources
 * ({@code META-INF/services/dev.kmapstress.lock.LockStrategyProvider}), not in core. The tests
 * find it by name in the standard registry and run it through everything the built-in
 * strategies go through, which proves that a jar on the class path is enough.
 */
public final class UserSpinLock implements LockStrategy {

    /** Registers the lock as {@code user-spin}. */
    public static final class Provider implements LockStrategyProvider {
        @Override public String name() { return "user-spin"; }
        @Override public String description() {
            return "test-scope example of a user's lock: AtomicBoolean test-and-test-and-set";
        }
        @Override public LockStrategy create(int nrCpus) { return new UserSpinLock(); }
    }

    private final AtomicBoolean locked = new AtomicBoolean();

    @Override
    public void lock(CpuContext cpu) {
        while (!locked.compareAndSet(false, true)) {
            do {
                cpu.cpuRelax();
            } while (locked.get());
        }
    }

    @Override
    public void unlock(CpuContext cpu) {
        locked.set(false);
    }

    @Override
    public boolean tryLock(CpuContext cpu) {
        return !locked.get() && locked.compareAndSet(false, true);
    }
}
