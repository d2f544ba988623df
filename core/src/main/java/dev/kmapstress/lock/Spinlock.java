package dev.kmapstress.lock;

import dev.kmapstress.machine.Cpu;
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
    /** The CPU holding the lock, or -1; opaque: for reports, it orders nothing. */
    @SuppressWarnings("unused") private int holder = -1;

    public Spinlock(String name, LockStrategy strategy) {
        this.name = name;
        this.strategy = strategy;
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
        acquire(cpu);
    }

    /** Models {@code spin_unlock()}. */
    public void spinUnlock(Cpu cpu) {
        release(cpu);
        cpu.preemptEnable();
    }

    /** Models {@code spin_lock_irq()}. */
    public void spinLockIrq(Cpu cpu) {
        cpu.localIrqDisable();
        cpu.preemptDisable();
        acquire(cpu);
    }

    /** Models {@code spin_unlock_irq()}. */
    public void spinUnlockIrq(Cpu cpu) {
        release(cpu);
        cpu.localIrqEnable();
        cpu.preemptEnable();
    }

    /** Models {@code spin_lock_irqsave()}; returns the saved flags (whether IRQs were off). */
    public boolean spinLockIrqsave(Cpu cpu) {
        boolean flags = cpu.localIrqSave();
        cpu.preemptDisable();
        acquire(cpu);
        return flags;
    }

    /** Models {@code spin_unlock_irqrestore()}. */
    public void spinUnlockIrqrestore(Cpu cpu, boolean flags) {
        release(cpu);
        cpu.localIrqRestore(flags);
        cpu.preemptEnable();
    }

    /** Models {@code spin_trylock()}. */
    public boolean spinTrylock(Cpu cpu) {
        cpu.preemptDisable();
        if (strategy.tryLock(cpu)) {
            HOLDER.setOpaque(this, cpu.id());
            return true;
        }
        cpu.preemptEnable();
        return false;
    }

    private void acquire(Cpu cpu) {
        cpu.spinBegin(name);
        strategy.lock(cpu);
        cpu.spinEnd();
        HOLDER.setOpaque(this, cpu.id());
    }

    private void release(Cpu cpu) {
        HOLDER.setOpaque(this, -1);
        strategy.unlock(cpu);
    }

    @Override
    public String toString() {
        return name;
    }
}
