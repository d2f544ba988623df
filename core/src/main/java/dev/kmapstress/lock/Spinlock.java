package dev.kmapstress.lock;

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
 * acquire; unlock = release, (IRQs back,) preempt_enable. Re-enabling IRQs is an IRQ-enabled
 * point, so IPIs that arrived while the lock was held with IRQs off are taken there.
 */
public final class Spinlock {

    private static final VarHandle HOLDER;

    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(Spinlock.class, "holder", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final LockStrategy strategy;
    private final Tracer tracer;
    /** The CPU holding the lock, or -1; opaque: for reports, it orders nothing. */
    @SuppressWarnings("unused") private int holder = -1;

    public Spinlock(String name, LockStrategy strategy) {
        this(name, strategy, null);
    }

    /** A spinlock whose acquisitions and releases are reported to {@code tracer} (null for none). */
    public Spinlock(String name, LockStrategy strategy, Tracer tracer) {
        this.name = name;
        this.strategy = strategy;
        this.tracer = tracer;
    }

    /** The lock's name (its lock class), e.g. {@code kmap_lock}. */
    public String name() { return name; }

    /** The algorithm behind it. */
    public LockStrategy strategy() { return strategy; }

    /** The CPU holding the lock, or -1 (racy: for reports). */
    public int holder() { return (int) HOLDER.getOpaque(this); }

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

    /** Models {@code spin_trylock()}. */
    public boolean spinTrylock(Cpu cpu) {
        cpu.preemptDisable();
        if (strategy.tryLock(cpu)) {
            HOLDER.setOpaque(this, cpu.id());
            if (tracer != null) tracer.trace(cpu, Tracepoint.LOCK, this, "spin_trylock " + name);
            return true;
        }
        cpu.preemptEnable();
        return false;
    }

    private void acquire(Cpu cpu, String how) {
        if (tracer != null) tracer.trace(cpu, Tracepoint.LOCK_WAIT, this, how + name);
        cpu.spinBegin(name);
        strategy.lock(cpu);
        cpu.spinEnd();
        HOLDER.setOpaque(this, cpu.id());
        if (tracer != null) tracer.trace(cpu, Tracepoint.LOCK, this, how + name);
    }

    private void release(Cpu cpu, String how) {
        HOLDER.setOpaque(this, -1);
        strategy.unlock(cpu);
        if (tracer != null) tracer.trace(cpu, Tracepoint.UNLOCK, this, how + name);
    }

    @Override
    public String toString() {
        return name;
    }
}
