/**
 * The machine above the model: {@link dev.kmapstress.kernel.Machine} builds one simulated kernel
 * from a configuration (CPUs, pages, spinlocks, the scheduler, mm) and hands each part the
 * others it calls; {@link dev.kmapstress.kernel.Watchdog} writes the reports in the kernel's
 * words (BUG, WARN, the lockup and hung-task detectors, with the PKMAP state they print).
 *
 * <p>Owns: the assembly, {@code smp_send_stop()}, the report texts. Uses: machine, locking,
 * sched, lock.wait (through mm), mm, log. The model's packages never use it: they see the
 * machine only as a {@code MachineContext}.
 */
package dev.kmapstress.kernel;
