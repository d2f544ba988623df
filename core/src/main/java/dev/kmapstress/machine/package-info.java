/**
 * The machine: its base (the profile and its constants, the configuration and its settings
 * table, the layout arithmetic, pages, CPUs with their per-CPU state, event counters and
 * tracepoints, the names of the kernel functions callers perform) and {@link dev.kmapstress.machine.Machine}, which assembles the model's parts
 * (mm, sched, lock) into one simulated kernel, with the lockup and hung-task watchdog.
 *
 * <p>Owns: per-CPU state, the configuration, the assembly. Uses: log, fault, settings, and the
 * model packages it assembles. The model packages still reach the base through
 * {@code Machine} and {@code Cpu}: that cycle is frozen by the architecture tests
 * ({@code ArchitectureTest}) until the model sees only a small context interface.
 */
package dev.kmapstress.machine;
