package dev.kmapstress.machine;

import dev.kmapstress.log.KernelLog;

/**
 * All the model's packages (mm, sched, the wait strategies, the CPUs) may know of the machine
 * they run in: its configuration, layout and tracer, its CPUs and pages, its kernel log and its
 * reports. The machine that assembles the model ({@code dev.kmapstress.kernel.Machine})
 * implements it; the parts of the model it builds get it, and the other parts they call, in
 * their constructors, so none of them depends on the assembly.
 */
public interface MachineContext {

    MachineConfig config();

    /** The tracer given at build time, or null (the default: no tracing). */
    Tracer tracer();

    Layout layout();

    KernelLog log();

    /** Where BUG, WARN, lockups and hung tasks are reported. */
    Reports reports();

    int nrCpus();

    /** CPU {@code n}. */
    Cpu cpu(int n);

    /** The K-th highmem page ({@code pK}). */
    Page highPage(int k);

    /** The K-th lowmem page ({@code lK}). */
    Page lowPage(int k);

    int highPageCount();

    int lowPageCount();

    /** Models {@code pfn_to_page()}; null for a pfn the machine does not have. */
    Page pfnToPage(long pfn);

    /**
     * The name of the machine's spinlock number {@code id} (numbered in the order they were
     * made): what a CPU that spins on it reports ({@link Cpu#spinBeginLock}).
     */
    String spinlockName(int id);
}
