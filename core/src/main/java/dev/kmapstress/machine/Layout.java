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
    private final long lowmemEnd;
    /** PKMAP_ADDR(LAST_PKMAP): the end of the PKMAP window. */
    private final long pkmapEnd;

    Layout(MachineConfig config) {
        this.profile = config.profile();
        this.pageOffset = profile.pageOffset();
        this.pkmapBase = profile.pkmapBase();
        this.fixaddrTop = profile.fixaddrTop();
        this.fixKmapBegin = profile.fixKmapBegin();
        this.lastPkmap = config.lastPkmap();
        this.kmMaxIdx = config.debugKmapLocal() ? Profile.KM_MAX_IDX_DEBUG : Profile.KM_MAX_IDX;
        this.lowmemEnd = pageOffset + (long) config.lowmemPages() * PAGE_SIZE;
        this.pkmapEnd = pkmapAddr(lastPkmap);
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
