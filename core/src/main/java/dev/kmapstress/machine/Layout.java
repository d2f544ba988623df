package dev.kmapstress.machine;

import static dev.kmapstress.machine.Profile.PAGE_SHIFT;
import static dev.kmapstress.machine.Profile.PAGE_SIZE;

/**
 * The virtual-address arithmetic of one machine: the kernel's PKMAP_ADDR/PKMAP_NR,
 * {@code __fix_to_virt}, the FIX_KMAP range and the lowmem direct map. Pure functions of the
 * configuration; no state. The constants the hot paths use are copied out of the profile into
 * final fields, so each costs one load, not two.
 */
public final class Layout {

    private final Profile profile;
    private final long pageOffset;
    private final long pkmapBase;
    private final long fixaddrTop;
    private final int fixKmapBegin;
    private final int lastPkmap;
    private final int kmMaxIdx;
    /**
     * {@code sizeof(struct page)} in Debian's i386 6.1 kernels, 686 and 686-pae alike: 40 bytes.
     * The fields for their configs: flags (4), the five-word union (20: lru, mapping, index,
     * private; the page-table variant keeps its 4-byte ptl inline, as bounds.h's SPINLOCK_SIZE
     * is 4), _mapcount (4), _refcount (4), memcg_data (4, MEMCG=y): 36; no WANT_PAGE_VIRTUAL
     * on x86, no _last_cpupid (NUMA off), no KMSAN; and HAVE_ALIGNED_STRUCT_PAGE=y aligns it
     * to two longs, so 40. Checked by compiling {@code sizeof(struct page)} against the
     * 6.1.176 headers with each config (linux-headers-6.1.0-50-686{,-pae}); 6.1.192 changes
     * no field of struct page.
     */
    public static final int SIZEOF_STRUCT_PAGE = 40;
    /** MAX_ORDER_NR_PAGES (MAX_ORDER 11): mem_map covers the node rounded up to this. */
    static final int MAX_ORDER_NR_PAGES = 1 << 10;
    /** SMP_CACHE_BYTES (CONFIG_X86_L1_CACHE_SHIFT 6): mem_map's alignment. */
    static final int SMP_CACHE_BYTES = 1 << 6;

    private final long lowmemEnd;
    private final long memMap;
    /** PKMAP_ADDR(LAST_PKMAP): the end of the PKMAP window. */
    private final long pkmapEnd;

    /** The layout of a machine of configuration {@code config}. */
    public Layout(MachineConfig config) {
        this.profile = config.profile();
        this.pageOffset = profile.pageOffset();
        this.pkmapBase = profile.pkmapBase();
        this.fixaddrTop = profile.fixaddrTop();
        this.fixKmapBegin = profile.fixKmapBegin();
        this.lastPkmap = config.lastPkmap();
        this.kmMaxIdx = config.debugKmapLocal() ? Profile.KM_MAX_IDX_DEBUG : Profile.KM_MAX_IDX;
        this.lowmemEnd = pageOffset + (long) config.lowmemPages() * PAGE_SIZE;
        this.pkmapEnd = pkmapAddr(lastPkmap);
        long pages = (long) config.lowmemPages() + config.highmemPages();
        long size = (pages + MAX_ORDER_NR_PAGES - 1) / MAX_ORDER_NR_PAGES * MAX_ORDER_NR_PAGES * SIZEOF_STRUCT_PAGE;
        this.memMap = (lowmemEnd - size) & ~(long) (SMP_CACHE_BYTES - 1) & 0xffff_ffffL;
    }

    /**
     * The virtual address of {@code mem_map} (FLATMEM, one node from pfn 0): where
     * {@code alloc_node_mem_map()} gets it, from memblock's top-down allocator, an array of the
     * node's pages rounded up to MAX_ORDER_NR_PAGES, {@link #SIZEOF_STRUCT_PAGE} bytes each,
     * aligned to SMP_CACHE_BYTES, ending at the top of the direct map. A real boot has made
     * other allocations above it first, which moves it down by an amount the boot log does not
     * show; the model assumes none. (For machines whose lowmem is smaller than the array the
     * address falls below PAGE_OFFSET: only its value, the input of the page hash, matters.)
     */
    public long memMap() {
        return memMap;
    }

    /** The address of pfn's {@code struct page}: {@code pfn_to_page(pfn)}, mem_map + pfn. */
    public long pfnToPageAddress(long pfn) {
        return (memMap + pfn * SIZEOF_STRUCT_PAGE) & 0xffff_ffffL;
    }

    public long pageOffset() { return pageOffset; }
    public long pkmapBase() { return pkmapBase; }
    public int lastPkmap() { return lastPkmap; }
    /** LAST_PKMAP_MASK. */
    public int lastPkmapMask() { return lastPkmap - 1; }
    public long fixaddrTop() { return fixaddrTop; }
    /**
     * KM_MAX_IDX: fixmap slots per CPU, 33 with DEBUG_KMAP_LOCAL (guard slots), else 16. The
     * FIX_KMAP range follows it; the profile's other constants (FIXADDR_START, PKMAP_BASE) stay
     * the measured values of the non-debug kernels, where a debug build would move them down.
     */
    public int kmMaxIdx() { return kmMaxIdx; }
    public int fixKmapBegin() { return fixKmapBegin; }
    /** FIX_KMAP_END = FIX_KMAP_BEGIN + KM_MAX_IDX * NR_CPUS - 1. */
    public int fixKmapEnd() { return fixKmapBegin + kmMaxIdx * profile.nrCpus() - 1; }
    /** VMALLOC_END; VMALLOC_START depends on the RAM a boot finds (see the boot model). */
    public long vmallocEnd() { return profile.vmallocEnd(); }

    /** Models {@code PKMAP_ADDR(nr)}. */
    public long pkmapAddr(int nr) {
        return pkmapBase + ((long) nr << PAGE_SHIFT);
    }

    /** Models {@code PKMAP_NR(virt)}. */
    public int pkmapNr(long vaddr) {
        return (int) ((vaddr - pkmapBase) >> PAGE_SHIFT);
    }

    /** Whether {@code vaddr} lies in the PKMAP window [PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP)). */
    public boolean inPkmapWindow(long vaddr) {
        return vaddr >= pkmapBase && vaddr < pkmapEnd;
    }

    /** Models {@code __fix_to_virt(idx)}: the fixmap grows downwards from FIXADDR_TOP. */
    public long fixToVirt(int idx) {
        return fixaddrTop - ((long) idx << PAGE_SHIFT);
    }

    /** Models {@code __virt_to_fix(vaddr)}. */
    public int virtToFix(long vaddr) {
        return (int) ((fixaddrTop - (vaddr & Profile.PAGE_MASK)) >> PAGE_SHIFT);
    }

    /** The lowmem direct map's end: PAGE_OFFSET + lowmem pages. */
    public long lowmemEnd() {
        return lowmemEnd;
    }

    /** Whether {@code vaddr} is in the lowmem direct map. */
    public boolean inLowmemMap(long vaddr) {
        return vaddr >= pageOffset && vaddr < lowmemEnd;
    }

    /** Models {@code lowmem_page_address()}: PAGE_OFFSET + pfn * PAGE_SIZE. */
    public long lowmemPageAddress(long pfn) {
        return pageOffset + (pfn << PAGE_SHIFT);
    }

    /** Models {@code __pa()} of a direct-mapped address, as a pfn. */
    public long virtToPfn(long vaddr) {
        return (vaddr - pageOffset) >> PAGE_SHIFT;
    }
}
