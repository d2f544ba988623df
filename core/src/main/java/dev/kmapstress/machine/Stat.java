package dev.kmapstress.machine;

/** The per-CPU event counters of {@link CpuStats}. */
public enum Stat {
    /** kmap_high calls. */
    KMAP,
    /** kmap_high calls that found the page already mapped. */
    KMAP_HIT,
    /** kmap_high calls that mapped the page through map_new_virtual. */
    KMAP_MISS,
    KUNMAP,
    /** kmap_high_get calls that pinned a mapping. */
    KMAP_HIGH_GET,
    /** flush_all_zero_pkmaps runs. */
    FLUSH_ALL_ZERO,
    /** TLB flushes of a kernel range requested by this CPU. */
    TLB_FLUSH,
    IPI_SENT,
    IPI_ACKED,
    /** Sleeps in map_new_virtual waiting for a free slot. */
    SLEEP,
    /** Tasks this CPU woke. */
    WAKEUP,
    /** Mapped reads and writes. */
    ACCESS,
    /** TLB misses filled from the page table. */
    TLB_MISS,
    /** kmap_local mappings made through the fixmap (__kmap_local_pfn_prot). */
    KMAP_LOCAL,
    /** kmap_local fixmap mappings removed (kunmap_local_indexed inside the fixmap range). */
    KUNMAP_LOCAL,
    /** kmap_local fixmap mappings made in interrupt context. */
    KMAP_LOCAL_IRQ,
    /**
     * The deepest kmap_local stack reached on the CPU (mappings held at once by the current
     * task and the interrupts on top of it). A maximum, not a count: combine CPUs with max.
     */
    KMAP_LOCAL_MAX_DEPTH
}
