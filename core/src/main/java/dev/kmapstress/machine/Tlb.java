package dev.kmapstress.machine;

import java.util.Arrays;

/**
 * One CPU's TLB: cached PTE values for the page-table slots of the PKMAP window and the
 * kmap_local fixmap ({@link PageTable} indices). Fully associative and never evicting: the
 * worst case for staleness, which is exactly what makes the count-1 rule and the shootdown
 * visible. Touched only by the thread running the CPU (shootdowns reach it as IPIs).
 *
 * <p>What a shootdown IPI asks of a CPU (the function of x86's {@code on_each_cpu} call) is a
 * {@code long}, so that posting one allocates nothing: {@link #NO_CALL}, {@link #FLUSH_ALL}
 * ({@code do_flush_tlb_all}) or a range of pages ({@code do_kernel_range_flush}, see
 * {@link #rangeCall}). Calls that reach a CPU before it took the previous ones are
 * {@linkplain #mergeCalls merged}: a flush of all, or of the smallest range covering both, never
 * less than what each asked for.
 */
public final class Tlb {

    /** No call pending. */
    public static final long NO_CALL = 0;
    /** {@code do_flush_tlb_all}: drop every entry. */
    public static final long FLUSH_ALL = -1;

    private final long[] entries;
    private final PageTable pageTable;

    public Tlb(PageTable pageTable) {
        this.pageTable = pageTable;
        this.entries = new long[pageTable.slots()];
    }

    /** The call {@code do_kernel_range_flush} over [start, end) (page-aligned kernel addresses). */
    public static long rangeCall(long start, long end) {
        return (start >>> Profile.PAGE_SHIFT) << 32 | end >>> Profile.PAGE_SHIFT;
    }

    /** One call that does at least what {@code a} and {@code b} each do. */
    public static long mergeCalls(long a, long b) {
        if (a == NO_CALL || b == FLUSH_ALL) {
            return b;
        }
        if (b == NO_CALL || a == FLUSH_ALL) {
            return a;
        }
        return Math.min(a >>> 32, b >>> 32) << 32 | Math.max(a & 0xffff_ffffL, b & 0xffff_ffffL);
    }

    /** Runs {@code call} on this TLB, as the IPI handler of the CPU that owns it. */
    public void runCall(long call) {
        if (call == FLUSH_ALL) {
            flushAll();
        } else if (call != NO_CALL) {
            doKernelRangeFlush((call >>> 32) << Profile.PAGE_SHIFT, (call & 0xffff_ffffL) << Profile.PAGE_SHIFT);
        }
    }

    /** Models {@code do_kernel_range_flush()}: one {@code flush_tlb_one_kernel} per page of [start, end). */
    public void doKernelRangeFlush(long start, long end) {
        for (long addr = start; addr < end; addr += Profile.PAGE_SIZE) {
            int slot = pageTable.index(addr);
            if (slot >= 0) {
                flushOne(slot);
            }
        }
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
