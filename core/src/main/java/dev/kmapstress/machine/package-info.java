/**
 * The model's base: the profile and its constants, the configuration and its settings table,
 * the layout arithmetic, pages, CPUs with their per-CPU state, TLBs and lockup checks (the
 * timeout, and the lockup proof that needs none), the page table they walk,
 * tasks ({@code task_struct} with its kmap_local stack and wait-queue entry), event counters and
 * tracepoints, the names of the kernel functions callers perform, and what the rest of the model
 * may know of its machine: {@link dev.kmapstress.machine.MachineContext} (configuration, layout,
 * tracer, CPUs, pages, log) and {@link dev.kmapstress.machine.Reports} (BUG, WARN, lockups, hung
 * tasks).
 *
 * <p>Owns: per-CPU and per-task state, the configuration, the context interfaces. Uses: log,
 * fault, settings, and the lock SPI ({@code Cpu} is a {@code CpuContext}, the configuration
 * checks lock names against the {@code LockRegistry}); nothing else of the model. locking,
 * sched, lock.wait and mm build on it; {@code dev.kmapstress.kernel.Machine} implements its
 * context and assembles them.
 */
package dev.kmapstress.machine;
