package dev.kmapstress.mm;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.util.BitSet;

/**
 * The write-back data cache of a VIVT (virtually indexed, virtually tagged) ARM, the cache for
 * which 6.1's ARM code flushes on the kmap paths ({@code cache_is_vivt()} in
 * arch/arm/include/asm/highmem.h): a line is found by the virtual address it was written
 * through, so each mapping of a page is an alias of its own, and data written through one
 * alias is not seen through another until the line is written back.
 *
 * <p>What the model keeps: for every virtual page of the PKMAP and fixmap windows (one per
 * page-table slot), the words written through it and not yet written back ("dirty"), and the
 * physical page the write-back goes to, fixed by the first write into a clean line (the
 * physical tag a VIVT line carries for its write-back). A read through an address takes a
 * dirty word of that address's line, whatever page the address maps now (a virtual tag
 * matches the address, not the page), and any other word from the page it translates to.
 * Clean lines are not kept: a clean line equals memory until memory changes under another
 * alias, and the kernel's flushes clean and invalidate every line of an alias before the alias
 * goes. Lowmem's direct map is not cached: on arm-like a lowmem page has no other kernel alias
 * (kmap_local returns its page_address), so there is nothing to diverge from.
 *
 * <p>The kernel's maintenance on the paths modelled, each cleaning and invalidating:
 * {@link #flushCacheAll} for {@code flush_cache_kmaps()} before flush_all_zero_pkmaps clears
 * PKMAP PTEs, and {@link #flushDcacheArea} for {@code arch_kmap_local_pre_unmap()} before a
 * kmap_local PTE is cleared (kunmap_local and the context switch's sched_out).
 *
 * <p>One cache serves all the machine's CPUs, kept coherent between them: VIVT ARMs (ARMv4/v5)
 * are uniprocessors, where that is exact; on more CPUs the model keeps only the aliasing.
 * Each line is guarded by its own monitor (a flush writes back while other CPUs access other
 * lines); the memory words it writes back are ordered for their readers by the locks and PTE
 * updates that follow the flush, as RAM is.
 */
public final class DataCache {

    /** The dirty words of one virtual page and the physical page they belong to; guarded by itself. */
    private static final class Line {
        /** The page the write-back goes to: set by the first write into a clean line. */
        Page page;
        final int[] data;
        final BitSet dirty = new BitSet();

        Line(int words) {
            data = new int[words];
        }
    }

    private final PageTable pageTable;
    private final Layout layout;
    private final Line[] lines;
    private final Tracer tracer;

    /** An empty cache over the slots of {@code pageTable}, with words of {@code words} per page. */
    public DataCache(PageTable pageTable, Layout layout, int words, Tracer tracer) {
        this.pageTable = pageTable;
        this.layout = layout;
        this.tracer = tracer;
        this.lines = new Line[pageTable.slots()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = new Line(words);
        }
    }

    /** A load of word {@code word} through {@code vaddr}, which translates to {@code page}. */
    int read(long vaddr, Page page, int word) {
        int slot = pageTable.index(vaddr);
        if (slot < 0) {
            return page.payload()[word];
        }
        Line l = lines[slot];
        synchronized (l) {
            return l.dirty.get(word) ? l.data[word] : page.payload()[word];
        }
    }

    /** A store of {@code value} to word {@code word} through {@code vaddr}, which translates to {@code page}. */
    void write(long vaddr, Page page, int word, int value) {
        int slot = pageTable.index(vaddr);
        if (slot < 0) {
            page.payload()[word] = value;
            return;
        }
        Line l = lines[slot];
        synchronized (l) {
            if (l.dirty.isEmpty()) {
                l.page = page;
            }
            l.dirty.set(word);
            l.data[word] = value;
        }
    }

    /** Models {@code flush_cache_all()}: every dirty line written back and invalidated. */
    void flushCacheAll(Cpu cpu) {
        for (int slot = 0; slot < lines.length; slot++) {
            writeBack(cpu, slot);
        }
    }

    /**
     * Models {@code __cpuc_flush_dcache_area(vaddr, PAGE_SIZE)}: the lines of the page at
     * {@code vaddr} written back and invalidated.
     */
    void flushDcacheArea(Cpu cpu, long vaddr) {
        int slot = pageTable.index(vaddr);
        if (slot >= 0) {
            writeBack(cpu, slot);
        }
    }

    private void writeBack(Cpu cpu, int slot) {
        Line l = lines[slot];
        int written;
        Page page;
        synchronized (l) {
            written = l.dirty.cardinality();
            page = l.page;
            if (written == 0) {
                return;
            }
            int[] memory = page.payload();
            for (int w = l.dirty.nextSetBit(0); w >= 0; w = l.dirty.nextSetBit(w + 1)) {
                memory[w] = l.data[w];
            }
            l.dirty.clear();
            l.page = null;
        }
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, page, String.format(
                "write back 0x%08x: %d dirty word%s -> %s", virtualAddress(slot), written,
                written == 1 ? "" : "s", page.name()));
    }

    /**
     * Word {@code word} of {@code page} as memory would hold it once every line were written
     * back: the checks' view of the page's contents (reads nothing through a TLB, changes
     * nothing). Where two aliases hold the word dirty, the one of the lower slot.
     */
    public int writtenBack(Page page, int word) {
        for (Line l : lines) {
            synchronized (l) {
                if (l.page == page && l.dirty.get(word)) {
                    return l.data[word];
                }
            }
        }
        return page.payload()[word];
    }

    /** The virtual address of page-table slot {@code slot}. */
    private long virtualAddress(int slot) {
        int lastPkmap = layout.lastPkmap();
        return slot < lastPkmap ? layout.pkmapAddr(slot)
                : layout.fixToVirt(layout.fixKmapBegin() + slot - lastPkmap);
    }
}
