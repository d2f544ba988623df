/**
 * The parts of kernel/sched the highmem code relies on: {@code schedule()},
 * {@code try_to_wake_up()}, {@code might_sleep()}, wait queues, and context switches and forks
 * with kmap_local's hooks ({@link dev.kmapstress.sched.KmapLocalHooks}, which mm implements).
 *
 * <p>Owns: sleeping and waking, wait-queue membership. Uses: the machine base (CPUs, tasks,
 * the {@code MachineContext}), locking (each wait queue's lock), log, fault; never mm.
 */
package dev.kmapstress.sched;
