package dev.kmapstress.mm;

import java.util.Arrays;

/**
 * One CPU's TLB: cached PTE values for the page-table slots of the PKMAP window and the
 * kmap_local fixmap ({@link PageTable} indices). Fully associative and never evicting: the
 * worst case for staleness, which is exactly what makes the count-1 rule and the shootdown
 * visible. Touched only by the thread running the CPU (shootdowns reach it as IPIs).
 */
public final class Tlb {

    private final long[] entries;

    public Tlb(int slots) {
        this.entries = new long[slots];
    }

    /** The cached PTE of slot {@code idx}, 0 on a miss. */
    public long lookup(int idx) {
        return entries[idx];
    }

    /** Caches {@code pte} for slot {@code idx} (a page walk's fill). */
    public void fill(int idx, long pte) {
        entries[idx] = pte;
    }

    /** Models {@code __flush_tlb_one_kernel()}: drops one slot. */
    public void flushOne(int idx) {
        entries[idx] = 0;
    }

    /** Drops slots [from, to). */
    public void flushRange(int from, int to) {
        Arrays.fill(entries, from, to, 0L);
    }

    /** Models {@code __flush_tlb_all()} on this CPU. */
    public void flushAll() {
        Arrays.fill(entries, 0L);
    }
}
