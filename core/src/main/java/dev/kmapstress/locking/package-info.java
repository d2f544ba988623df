/**
 * Kernel spinlocks as kernel/locking has them: {@link dev.kmapstress.locking.Spinlock} is the
 * {@code spin_lock}/{@code spin_lock_irq} family (preempt count, IRQ flag, lockdep, statistics)
 * around a lock strategy of the SPI; {@link dev.kmapstress.locking.Spinlocks} gives a machine's
 * locks its strategy; lockdep and its reports; lock statistics.
 *
 * <p>Owns: lockdep's classes and chains, lock statistics. Uses: the lock SPI (the strategy a
 * spinlock wraps, found through the registry), the machine base (the CPU and its task, the
 * configuration, the tracer), log.
 */
package dev.kmapstress.locking;
