/**
 * Memory management as mm/highmem.c and its callers see it: the MMU's walk and TLB shootdowns,
 * the PKMAP window with kmap_high/kunmap_high/map_new_virtual/flush_all_zero_pkmaps
 * ({@code Pkmap}, the house model), the page_address hash table, kmap_local/kmap_atomic, zones,
 * and the copy helpers. One method per kernel function, in kernel order, each naming the
 * function it models.
 *
 * <p>Owns: the highmem mapping state and its invariants. Uses: the machine base (through its
 * {@code MachineContext}, never the machine itself), locking (kmap_lock and the bucket locks),
 * sched (wait queues, the scheduler), lock.wait, log, fault. Each class gets the others it calls
 * in its constructor; {@code KmapLocal} is the scheduler's {@code KmapLocalHooks}.
 */
package dev.kmapstress.mm;
