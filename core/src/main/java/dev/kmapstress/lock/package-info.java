/**
 * Kernel spinlocks and the lock SPI. {@link dev.kmapstress.lock.Spinlock} is the kernel's
 * {@code spin_lock}/{@code spin_lock_irq} family (preempt count, IRQ flag, lockdep, statistics)
 * around a {@link dev.kmapstress.lock.LockStrategy}, the SPI a lock algorithm implements (with
 * {@link dev.kmapstress.lock.CpuContext}, all it may know of the CPU, and
 * {@link dev.kmapstress.lock.LockPlatform}, all it may know of the machine), found by name through
 * {@link dev.kmapstress.lock.LockRegistry} and {@link java.util.ServiceLoader}.
 *
 * <p>Owns: the SPI, the registry, lockdep, lock statistics. Uses: the machine base, sched (the
 * task a lockdep report names), log.
 */
package dev.kmapstress.lock;
