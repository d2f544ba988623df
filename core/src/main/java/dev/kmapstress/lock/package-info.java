/**
 * The lock SPI: {@link dev.kmapstress.lock.LockStrategy}, the interface a lock algorithm
 * implements, with {@link dev.kmapstress.lock.CpuContext}, all it may know of the CPU, and
 * {@link dev.kmapstress.lock.LockPlatform}, all it may know of the machine; strategies are found
 * by name through {@link dev.kmapstress.lock.LockRegistry} and {@link java.util.ServiceLoader}.
 * The kernel's spinlocks built on it are in {@code dev.kmapstress.locking}.
 *
 * <p>Owns: the SPI and the registry. Uses: nothing of ours, so that a user's lock jar sees no
 * more than this package.
 */
package dev.kmapstress.lock;
