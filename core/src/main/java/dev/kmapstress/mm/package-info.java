/**
 * Memory management as mm/highmem.c and its callers see it: page tables and TLBs, the PKMAP
 * window with kmap_high/kunmap_high/map_new_virtual/flush_all_zero_pkmaps ({@code Pkmap}, the
 * house model), the page_address hash table, kmap_local/kmap_atomic, and the copy helpers.
 * One method per kernel function, in kernel order, each naming the function it models.
 *
 * <p>Owns: the highmem mapping state and its invariants. Uses: the machine base, sched (wait
 * queues, tasks), lock (kmap_lock and the bucket locks), log, fault.
 */
package dev.kmapstress.mm;
