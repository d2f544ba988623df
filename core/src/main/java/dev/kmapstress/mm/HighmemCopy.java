package dev.kmapstress.mm;

import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;

/**
 * The page copy helpers of include/linux/highmem.h, built on {@link KmapLocal} exactly as the
 * kernel builds them: map with kmap_local_page, check the bounds, copy through the mappings,
 * unmap in reverse order. Every word moves through {@link Mmu#read}/{@link Mmu#write} and the
 * CPU's TLB, so a broken mapping shows up as a page fault or wrong data.
 *
 * <p><b>Unit.</b> Offsets and lengths count 32-bit <em>payload words</em>, not bytes: the model's
 * page is {@link Page#words()} words long (the machine's {@code payload-words}), and that length
 * plays the part of PAGE_SIZE in the kernel's bound {@code VM_BUG_ON(offset + len > PAGE_SIZE)}.
 * A copy that would cross the end of the page is that BUG, raised as in the kernel after the
 * page was mapped (the oops leaves the mapping held). A negative offset or length is what it
 * would be as a C {@code size_t}, a huge number: the same BUG.
 *
 * <pre>{@code
 * HighmemCopy copy = machine.highmemCopy();
 * copy.memcpyToPage(cpu, machine.highPage(0), 2, new int[] {7, 8}, 2);   // words 2 and 3
 * int[] out = new int[2];
 * copy.memcpyFromPage(cpu, out, machine.highPage(0), 2, 2);
 * }</pre>
 */
public final class HighmemCopy {

    static final Site MEMCPY_PAGE = new Site("include/linux/highmem.h", 371, "memcpy_page");
    static final Site MEMCPY_FROM_PAGE = new Site("include/linux/highmem.h", 392, "memcpy_from_page");
    static final Site MEMCPY_TO_PAGE = new Site("include/linux/highmem.h", 402, "memcpy_to_page");
    static final Site MEMZERO_PAGE = new Site("include/linux/highmem.h", 412, "memzero_page");
    static final Site ZERO_USER_SEGMENTS_END = new Site("mm/highmem.c", 396, "zero_user_segments");

    private final MachineContext machine;
    private final KmapLocal kmapLocal;
    private final Mmu mmu;
    private final Pkmap pkmap;
    /** ARM's VIVT data cache ({@code cache_is_vivt()}): flush_dcache_page has lines to write back. */
    private final boolean vivt;

    /** The helpers of {@code machine}, mapping with its kmap_local; holds no state of its own. */
    public HighmemCopy(MachineContext machine, KmapLocal kmapLocal, Mmu mmu, Pkmap pkmap) {
        this.machine = machine;
        this.kmapLocal = kmapLocal;
        this.mmu = mmu;
        this.pkmap = pkmap;
        this.vivt = machine.config().profile().vivtDataCache();
    }

    /**
     * Models {@code memcpy_page()}: copies {@code len} words from word {@code srcOff} of
     * {@code srcPage} to word {@code dstOff} of {@code dstPage}.
     */
    public void memcpyPage(Cpu cpu, Page dstPage, int dstOff, Page srcPage, int srcOff, int len) {
        long dst = kmapLocal.kmapLocalPage(cpu, dstPage);
        long src = kmapLocal.kmapLocalPage(cpu, srcPage);
        vmBugOn(cpu, crosses(dstPage, dstOff, len) || crosses(srcPage, srcOff, len), MEMCPY_PAGE);
        copyWords(cpu, dst, dstOff, src, srcOff, len);
        kmapLocal.kunmapLocal(cpu, src);
        kmapLocal.kunmapLocal(cpu, dst);
    }

    /**
     * Models {@code memcpy_from_page()}: copies {@code len} words from word {@code offset} of
     * {@code page} into {@code to[0..len)}.
     *
     * @throws IllegalArgumentException if {@code to} is shorter than {@code len}
     */
    public void memcpyFromPage(Cpu cpu, int[] to, Page page, int offset, int len) {
        checkBuffer("to", to, len);
        long from = kmapLocal.kmapLocalPage(cpu, page);
        vmBugOn(cpu, crosses(page, offset, len), MEMCPY_FROM_PAGE);
        for (int i = 0; i < len; i++) {
            to[i] = mmu.read(cpu, from, offset + i);
        }
        kmapLocal.kunmapLocal(cpu, from);
    }

    /**
     * Models {@code memcpy_to_page()}: copies {@code from[0..len)} to word {@code offset} of
     * {@code page}, then {@link #flushDcachePage} before the unmap.
     *
     * @throws IllegalArgumentException if {@code from} is shorter than {@code len}
     */
    public void memcpyToPage(Cpu cpu, Page page, int offset, int[] from, int len) {
        checkBuffer("from", from, len);
        long to = kmapLocal.kmapLocalPage(cpu, page);
        vmBugOn(cpu, crosses(page, offset, len), MEMCPY_TO_PAGE);
        for (int i = 0; i < len; i++) {
            mmu.write(cpu, to, offset + i, from[i]);
        }
        flushDcachePage(cpu, page);
        kmapLocal.kunmapLocal(cpu, to);
    }

    /**
     * Models {@code memzero_page()}: zeroes {@code len} words of {@code page} from {@code offset},
     * then {@link #flushDcachePage} before the unmap.
     */
    public void memzeroPage(Cpu cpu, Page page, int offset, int len) {
        long addr = kmapLocal.kmapLocalPage(cpu, page);
        vmBugOn(cpu, crosses(page, offset, len), MEMZERO_PAGE);
        zeroWords(cpu, addr, offset, len);
        flushDcachePage(cpu, page);
        kmapLocal.kunmapLocal(cpu, addr);
    }

    /** Models {@code copy_highpage()}: the whole page {@code from} into {@code to}. */
    public void copyHighpage(Cpu cpu, Page to, Page from) {
        long vfrom = kmapLocal.kmapLocalPage(cpu, from);
        long vto = kmapLocal.kmapLocalPage(cpu, to);
        copyWords(cpu, vto, 0, vfrom, 0, to.words());
        kmapLocal.kunmapLocal(cpu, vto);
        kmapLocal.kunmapLocal(cpu, vfrom);
    }

    /** Models {@code clear_highpage()}: zeroes the whole page. */
    public void clearHighpage(Cpu cpu, Page page) {
        long kaddr = kmapLocal.kmapLocalPage(cpu, page);
        zeroWords(cpu, kaddr, 0, page.words());
        kmapLocal.kunmapLocal(cpu, kaddr);
    }

    /**
     * Models {@code zero_user_segments()} of mm/highmem.c (CONFIG_HIGHMEM) for a page that is
     * not compound (the model has no compound pages): zeroes words [start1, end1) and
     * [start2, end2) of {@code page} (an empty or reversed segment is none) through one
     * kmap_local mapping, made only if a segment is non-empty, then unmapped before
     * {@link #flushDcachePage}. BUG if a segment ends beyond the page.
     */
    public void zeroUserSegments(Cpu cpu, Page page, int start1, int end1, int start2, int end2) {
        int size = page.words();
        if (Integer.compareUnsigned(end1, size) > 0 || Integer.compareUnsigned(end2, size) > 0) {
            throw machine.reports().bug(cpu, ZERO_USER_SEGMENTS_END);
        }
        if (Integer.compareUnsigned(start1, end1) >= 0) {
            start1 = end1 = 0;
        }
        if (Integer.compareUnsigned(start2, end2) >= 0) {
            start2 = end2 = 0;
        }
        long kaddr = 0;
        if (end1 > start1) {
            kaddr = kmapLocal.kmapLocalPage(cpu, page);
            zeroWords(cpu, kaddr, start1, end1 - start1);
        }
        if (end2 > start2) {
            if (kaddr == 0) {
                kaddr = kmapLocal.kmapLocalPage(cpu, page);
            }
            zeroWords(cpu, kaddr, start2, end2 - start2);
        }
        if (kaddr != 0) {
            kmapLocal.kunmapLocal(cpu, kaddr);
            flushDcachePage(cpu, page);
        }
    }

    /** Models {@code zero_user_segment()}: {@link #zeroUserSegments} with one segment. */
    public void zeroUserSegment(Cpu cpu, Page page, int start, int end) {
        zeroUserSegments(cpu, page, start, end, 0, 0);
    }

    /**
     * Models {@code flush_dcache_page()} for a page no file maps (the model's pages): nothing on
     * x86; on ARM with a VIVT cache, {@code __flush_dcache_page()}: a highmem page's PKMAP alias,
     * if it has one, pinned with kmap_high_get, written back ({@code __cpuc_flush_dcache_area})
     * and released with kunmap_high. (A lowmem page's direct-map alias is written back too in
     * the kernel; the model does not cache the direct map.)
     */
    void flushDcachePage(Cpu cpu, Page page) {
        if (!vivt || !page.isHighMem()) {
            return;
        }
        long addr = pkmap.kmapHighGet(cpu, page);
        if (addr != 0) {
            mmu.flushDcacheArea(cpu, addr);
            pkmap.kunmapHigh(cpu, page);
        }
    }

    private void copyWords(Cpu cpu, long dst, int dstOff, long src, int srcOff, int len) {
        for (int i = 0; i < len; i++) {
            mmu.write(cpu, dst, dstOff + i, mmu.read(cpu, src, srcOff + i));
        }
    }

    private void zeroWords(Cpu cpu, long addr, int offset, int len) {
        for (int i = 0; i < len; i++) {
            mmu.write(cpu, addr, offset + i, 0);
        }
    }

    /** {@code offset + len > PAGE_SIZE} with C's size_t: negative values are huge. */
    private static boolean crosses(Page page, int offset, int len) {
        return offset < 0 || len < 0 || (long) offset + len > page.words();
    }

    /** Models {@code VM_BUG_ON(cond)} (CONFIG_DEBUG_VM, which the model always has). */
    private void vmBugOn(Cpu cpu, boolean cond, Site site) {
        if (cond) {
            throw machine.reports().bug(cpu, site);
        }
    }

    private static void checkBuffer(String name, int[] buffer, int len) {
        if (len > buffer.length) {
            throw new IllegalArgumentException(name + " holds " + buffer.length + " words, fewer"
                    + " than len=" + len + " (allowed: len <= " + buffer.length + ")");
        }
    }
}
