/**
 * The built-in lock strategies, each an algorithm comment and state table over the lock SPI:
 * tas, ttas, ticket, anderson, mcs, clh, qspinlock (the kernel's, and the default) and its
 * paravirt variant, the lock-literature ones (hemlock, Malthusian, MCS with spin-then-park,
 * partitioned ticket), the ReentrantLock and synchronized ports, and the deliberately broken
 * negative controls.
 *
 * <p>Owns: one algorithm per class. Uses: only the lock SPI ({@code LockStrategy},
 * {@code LockStrategyProvider}, {@code LockPlatform}, {@code CpuContext}); the architecture tests
 * keep it so, as a user's own lock jar sees nothing more.
 */
package dev.kmapstress.lock.strategies;
