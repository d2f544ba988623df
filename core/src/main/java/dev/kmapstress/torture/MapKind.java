package dev.kmapstress.torture;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;

/**
 * One way of mapping a page that the torture workers exercise, the way one table of
 * locktorture's lock operations describes a lock type: the two calls and the rules a caller
 * must respect around them. The worker loop knows nothing else about a kind, so adding a
 * mapping API to the torture run is adding one implementation to {@link MapKinds}.
 *
 * <p>Nesting: a worker takes a round's mappings in ascending {@link #nesting()} and releases
 * them in the opposite order, so a kind that may sleep (level 0) is never called inside an
 * atomic one and a stack-ordered kind (kmap_local) is always released last-in first-out.
 */
public interface MapKind {

    /** Level of the kinds that may sleep and may be released in any order (kmap). */
    int SLEEPING = 0;
    /** Level of the kinds that keep a per-task stack and must be released in LIFO order. */
    int STACKED = 1;
    /** Level of the kinds that disable preemption: nothing may sleep inside them. */
    int ATOMIC = 2;

    /** The name a workload selects the kind by, e.g. {@code persistent}. */
    String name();

    /** The kernel function that maps, as statistics name it, e.g. {@code kmap}. */
    String mapOp();

    /** The kernel function that unmaps, e.g. {@code kunmap}. */
    String unmapOp();

    /** {@link #SLEEPING}, {@link #STACKED} or {@link #ATOMIC}. */
    int nesting();

    /** Whether mapping a highmem page takes a PKMAP slot (and so may wait for one). */
    boolean usesPkmapSlot();

    /** Maps {@code page} on {@code cpu} and returns its virtual address. */
    long map(Cpu cpu, Page page);

    /** Releases the mapping of {@code page} at {@code vaddr} that {@link #map} returned. */
    void unmap(Cpu cpu, Page page, long vaddr);
}
