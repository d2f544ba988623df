/**
 * The parts of kernel/sched the highmem code relies on: tasks and their states,
 * {@code schedule()}, {@code try_to_wake_up()}, wait queues, context switches with kmap_local's
 * sched hooks, and each task's kmap_local stack ({@code struct kmap_ctrl}).
 *
 * <p>Owns: task state and wait-queue membership. Uses: the machine base, mm (kmap_local's
 * context-switch hooks), lock, log, fault.
 */
package dev.kmapstress.sched;
