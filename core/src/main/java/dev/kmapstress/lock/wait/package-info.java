/**
 * How a task waits for a free PKMAP slot ({@code wait-strategy=NAME}): the kernel's
 * {@code schedule()}/{@code wake_up()}, a JVM condition, or LiTL's spin-then-park. The names
 * and their descriptions are the machine base's {@code WaitStrategyName}; this package builds
 * the strategy of each.
 *
 * <p>Owns: the waiting and waking of map_new_virtual's sleepers. Uses: the machine base, sched.
 */
package dev.kmapstress.lock.wait;
