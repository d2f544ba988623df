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
    TLB_MISS
}
