package dev.kmapstress.locking;

import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Models {@code spinlock_t} with the kernel's wrappers around any {@link LockStrategy}: the
 * wrappers own preempt_count and the IRQ flag, the strategy only excludes.
 *
 * <p>Orders follow include/linux/spinlock_api_smp.h: lock = (IRQs off,) preempt_disable,
 * lockdep acquire, acquire; unlock = lockdep release, release, (IRQs back,) preempt_enable.
 * Re-enabling IRQs is an IRQ-enabled point, so IPIs that arrived while the lock was held with
 * IRQs off are taken there.
 *
 * <p>Optional per-lock {@link LockStats statistics}, the {@link Lockdep lock validator} and a
 * tracer are hooked in here, for every strategy alike; when a machine has them off (the
 * default) their fields are null and acquire and release each test one flag to skip them all,
 * so the wrappers cost the preempt_count update, the lockup detector's note of what the CPU
 * waits for (on release only where the strategy's unlock can wait) and the holder (for
 * reports) on top of the strategy ({@code Baselines.bareLockUnlock} against
 * {@code Baselines.rawLockUnlock}).
 */
public final class Spinlock {

    private static final VarHandle HOLDER;
    private static final int RELEASE_PLAIN = 0;
    private static final int RELEASE_NOTED = 1;
    private static final int RELEASE_HOOKED = 2;

    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(Spinlock.class, "holder", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    /** The lock's number in its machine, what a CPU notes while it takes or drops it. */
    private final int id;
    private final LockStrategy strategy;
    private final LockStats stats;
    private final Lockdep lockdep;
    private final int lockClass;
    private final Tracer tracer;
    /** {@link LockStrategy#unlockWaits}: whether release notes the lock for the lockup detector. */
    private final boolean unlockWaits;
    /**
     * Whether acquire has no hook to call (no validator, tracer or statistics), so that it tests
     * this one field instead of one per hook: each test after the lock's locked instruction
     * waits for it (what this bought: results/jmh/README.md).
     */
    private final boolean plainAcquire;
    /**
     * Release's path, chosen once for the same reason: {@link #RELEASE_PLAIN} (no hook, an
     * unlock that never waits), {@link #RELEASE_NOTED} (no hook, an unlock that may wait) or
     * {@link #RELEASE_HOOKED}.
     */
    private final int releasePath;
    /**
     * The CPU holding the lock, or -1: a hint for reports and test gates, written plainly by
     * the CPU taking or dropping the lock (an int is never torn, JLS 17.7, and nothing is
     * published through it; an opaque store would cost no instruction but is a compiler
     * barrier on every lock and unlock), read opaquely by anyone.
     */
    private int holder = -1;

    /**
     * Lock number {@code id} of its machine, with statistics (null: none), a validator (null:
     * none) and a tracer that sees its acquisitions and releases (null: none).
     */
    Spinlock(String name, int id, LockStrategy strategy, LockStats stats, Lockdep lockdep, Tracer tracer) {
        this.name = name;
        this.id = id;
        this.strategy = strategy;
        this.stats = stats;
        this.tracer = tracer;
        this.lockClass = lockdep == null ? -1 : lockdep.registerClass(name);
        this.lockdep = lockClass < 0 ? null : lockdep;
        this.unlockWaits = strategy.unlockWaits();
        boolean watched = this.lockdep != null || tracer != null;
        this.plainAcquire = !watched && stats == null;
        if (watched) {
            this.releasePath = RELEASE_HOOKED;
        } else {
            this.releasePath = unlockWaits ? RELEASE_NOTED : RELEASE_PLAIN;
        }
    }

    /** The lock's name, e.g. {@code kmap_lock} or {@code page_address_htable[5].lock}. */
    public String name() { return name; }

    /** The algorithm behind it. */
    public LockStrategy strategy() { return strategy; }

    /** The lock's statistics, or null on a machine without lock statistics. */
    public LockStats stats() { return stats; }

    /** The CPU holding the lock, or -1 (racy: for reports). */
    public int holder() { return (int) HOLDER.getOpaque(this); }

    /** The lock's class id in its validator (-1 without one). */
    int lockClass() { return lockClass; }

    /** Models {@code spin_lock()}. */
    public void spinLock(Cpu cpu) {
        cpu.preemptDisable();
        acquire(cpu, "spin_lock ");
    }

    /** Models {@code spin_unlock()}. */
    public void spinUnlock(Cpu cpu) {
        release(cpu, "spin_unlock ");
        cpu.preemptEnable();
    }

    /** Models {@code spin_lock_irq()}. */
    public void spinLockIrq(Cpu cpu) {
        cpu.localIrqDisable();
        cpu.preemptDisable();
        acquire(cpu, "spin_lock_irq ");
    }

    /** Models {@code spin_unlock_irq()}. */
    public void spinUnlockIrq(Cpu cpu) {
        release(cpu, "spin_unlock_irq ");
        cpu.localIrqEnable();
        cpu.preemptEnable();
    }

    /** Models {@code spin_lock_irqsave()}; returns the saved flags (whether IRQs were off). */
    public boolean spinLockIrqsave(Cpu cpu) {
        boolean flags = cpu.localIrqSave();
        cpu.preemptDisable();
        acquire(cpu, "spin_lock_irqsave ");
        return flags;
    }

    /** Models {@code spin_unlock_irqrestore()}. */
    public void spinUnlockIrqrestore(Cpu cpu, boolean flags) {
        release(cpu, "spin_unlock_irqrestore ");
        cpu.localIrqRestore(flags);
        cpu.preemptEnable();
    }

    /**
     * Models {@code spin_trylock()}.
     *
     * @throws UnsupportedOperationException if the strategy has no trylock (preemption is
     *         enabled again before it is thrown)
     */
    public boolean spinTrylock(Cpu cpu) {
        cpu.preemptDisable();
        boolean got = false;
        try {
            got = strategy.tryLock(cpu);
        } finally {
            if (!got) {
                cpu.preemptEnable();
            }
        }
        if (got) {
            if (lockdep != null) {
                lockdep.acquire(cpu, this, true);
            }
            if (stats != null) {
                stats.trylocked();
            }
            holder = cpu.id();
            if (tracer != null) tracer.trace(cpu, Tracepoint.LOCK, this, "spin_trylock " + name);
        }
        return got;
    }

    private void acquire(Cpu cpu, String how) {
        if (plainAcquire) {
            cpu.spinBeginLock(id);
            strategy.lock(cpu);
            cpu.spinEnd();
            holder = cpu.id();
        } else {
            acquireHooked(cpu, how);
        }
    }

    /** {@link #acquire} with the validator, the tracer and the statistics that watch the lock. */
    private void acquireHooked(Cpu cpu, String how) {
        if (lockdep != null) {
            lockdep.acquire(cpu, this, false);
        }
        if (tracer != null) tracer.trace(cpu, Tracepoint.LOCK_WAIT, this, how + name);
        cpu.spinBeginLock(id);
        if (stats == null) {
            strategy.lock(cpu);
        } else {
            stats.lock(strategy, cpu);
        }
        cpu.spinEnd();
        holder = cpu.id();
        if (tracer != null) tracer.trace(cpu, Tracepoint.LOCK, this, how + name);
    }

    private void release(Cpu cpu, String how) {
        int path = releasePath; // one load for both tests
        if (path == RELEASE_PLAIN) {
            holder = -1;
            strategy.unlock(cpu);
        } else if (path == RELEASE_NOTED) {
            holder = -1;
            unlockNoted(cpu);
        } else {
            releaseHooked(cpu, how);
        }
    }

    /** {@link #release} with the validator and the tracer that watch the lock. */
    private void releaseHooked(Cpu cpu, String how) {
        if (lockdep != null) {
            lockdep.release(cpu, this);
        }
        holder = -1;
        if (unlockWaits) {
            unlockNoted(cpu);
        } else {
            strategy.unlock(cpu);
        }
        if (tracer != null) tracer.trace(cpu, Tracepoint.UNLOCK, this, how + name);
    }

    /**
     * The strategy's unlock with the lock noted for the lockup detector: queue locks may wait
     * in unlock for a successor to link itself, and that wait is measured too.
     */
    private void unlockNoted(Cpu cpu) {
        cpu.spinBeginLock(id);
        strategy.unlock(cpu);
        cpu.spinEnd();
    }

    @Override
    public String toString() {
        return name;
    }
}
