package dev.kmapstress.boot;

import static dev.kmapstress.boot.I386.pagesToMb;
import static dev.kmapstress.boot.I386.ul;
import static dev.kmapstress.machine.Profile.PAGE_SHIFT;
import static dev.kmapstress.machine.Profile.PAGE_SIZE;

/**
 * The 32-bit memory setup of {@code arch/x86/mm/init_32.c} (with {@code parse_vmalloc()} of
 * pgtable_32.c, {@code init_mem_mapping()}/{@code zone_sizes_init()} of init.c and
 * {@code set_highmem_pages_init()} of highmem_32.c): where lowmem ends and highmem begins.
 *
 * <p>Algorithmic notes. Everything hangs on MAXMEM = VMALLOC_END - PAGE_OFFSET -
 * __VMALLOC_RESERVE, the most RAM the direct map can hold while leaving the vmalloc area its
 * reserve. {@link #findLowPfnRange} takes one of two branches: all RAM fits (lowmem only;
 * highmem= may still carve highmem off the top) or it does not (lowmem is exactly MAXMEM,
 * the rest is highmem, highmem= may cap it). The variables are i386 {@code unsigned long} and
 * {@code unsigned int}: sums wrap at 2^32 exactly where the kernel's do.
 */
final class Init32 {

    /** EINVAL, returned by a refused early parameter. */
    static final int EINVAL = 22;
    /** lowmem_pfn_init() refuses a highmem= that leaves less than 64 MB of lowmem. */
    static final long MIN_LOWMEM_PAGES = (64L << 20) / PAGE_SIZE;
    /** ISA_END_ADDRESS: the first megabyte is always direct-mapped. */
    static final long ISA_END_ADDRESS = 0x10_0000;
    /** MAX_DMA_PFN: ZONE_DMA is the first 16 MB. */
    static final long MAX_DMA_PFN = (16L << 20) >>> PAGE_SHIFT;

    private Init32() {
    }

    /** Models {@code parse_highmem()}: {@code highmem=} in bytes, kept as an unsigned int of pages. */
    static int parseHighmem(BootState k, String arg) {
        if (arg == null) {
            return -EINVAL;
        }
        k.highmemPages = ul(KernelCmdline.size("highmem", arg).value() >>> PAGE_SHIFT);
        return 0;
    }

    /** Models {@code parse_vmalloc()}: the reserve is the size plus the 8 MB guard, an unsigned int. */
    static int parseVmalloc(BootState k, String arg) {
        if (arg == null) {
            return -EINVAL;
        }
        k.vmallocReserve = ul(KernelCmdline.size("vmalloc", arg).value() + BootProfile.VMALLOC_OFFSET);
        return 0;
    }

    /** MAXMEM of pgtable_32_areas.h. */
    static long maxmem(BootState k) {
        return ul(k.profile.vmallocEnd() - k.profile.pageOffset() - k.vmallocReserve);
    }

    /** MAXMEM_PFN. */
    static long maxmemPfn(BootState k) {
        return maxmem(k) >>> PAGE_SHIFT;
    }

    /** Models {@code find_low_pfn_range()}: sets max_low_pfn, may lower max_pfn. */
    static void findLowPfnRange(BootState k) {
        if (k.maxPfn <= maxmemPfn(k)) {
            lowmemPfnInit(k);
        } else {
            highmemPfnInit(k);
        }
    }

    /**
     * Models {@code lowmem_pfn_init()}: all RAM is lowmem unless highmem= asks for some, which
     * is refused when it is not smaller than RAM or leaves less than 64 MB of lowmem.
     */
    static void lowmemPfnInit(BootState k) {
        k.maxLowPfn = k.maxPfn;
        if (k.highmemPages == BootState.HIGHMEM_PAGES_UNSET) {
            k.highmemPages = 0;
        }
        if (k.highmemPages >= k.maxPfn) {
            k.dmesg.printk("highmem size (%dMB) is bigger than pages available (%dMB)!",
                    pagesToMb(k.highmemPages), pagesToMb(k.maxPfn));
            k.highmemPages = 0;
        }
        if (k.highmemPages != 0) {
            if (ul(k.maxLowPfn - k.highmemPages) < MIN_LOWMEM_PAGES) {
                k.dmesg.printk("highmem size (%dMB) results in <64MB lowmem, ignoring it!",
                        pagesToMb(k.highmemPages));
                k.highmemPages = 0;
            }
            k.maxLowPfn -= k.highmemPages;
        }
    }

    /**
     * Models {@code highmem_pfn_init()}: lowmem is MAXMEM; highmem= may cap the rest (RAM above
     * the cap is dropped) and is ignored when it asks for more than there is. The HIGHMEM4G
     * "only 4GB will be used" trim never fires in 6.1: e820__end_of_ram_pfn() has already capped
     * max_pfn at max_arch_pfn, which on HIGHMEM4G is exactly 4 GB.
     */
    static void highmemPfnInit(BootState k) {
        long maxmemPfn = maxmemPfn(k);
        k.maxLowPfn = maxmemPfn;
        if (k.highmemPages == BootState.HIGHMEM_PAGES_UNSET) {
            k.highmemPages = ul(k.maxPfn - maxmemPfn);
        }
        if (ul(k.highmemPages + maxmemPfn) < k.maxPfn) {
            k.maxPfn = ul(maxmemPfn + k.highmemPages);
        }
        if (ul(k.highmemPages + maxmemPfn) > k.maxPfn) {
            k.dmesg.printk("only %dMB highmem pages available, ignoring highmem size of %dMB!",
                    pagesToMb(ul(k.maxPfn - maxmemPfn)), pagesToMb(k.highmemPages));
            k.highmemPages = 0;
        }
    }

    /**
     * Models {@code init_mem_mapping()} as far as {@code max_pfn_mapped} goes: the first
     * megabyte, then every memblock range up to max_low_pfn gets direct-mapped.
     */
    static void initMemMapping(BootState k) {
        long end = ul(k.maxLowPfn << PAGE_SHIFT);
        addPfnRangeMapped(k, ISA_END_ADDRESS >>> PAGE_SHIFT);
        initRangeMemoryMapping(k, ISA_END_ADDRESS, end);
    }

    /** Models {@code init_range_memory_mapping()}: maps the RAM inside [rStart, rEnd). */
    static void initRangeMemoryMapping(BootState k, long rStart, long rEnd) {
        for (PfnRange r : k.memblock.pfnRanges()) {
            long start = Math.min(Math.max(r.start() << PAGE_SHIFT, rStart), rEnd);
            long end = Math.min(Math.max(r.end() << PAGE_SHIFT, rStart), rEnd);
            if (start < end) {
                addPfnRangeMapped(k, end >>> PAGE_SHIFT);
            }
        }
    }

    /** Models {@code add_pfn_range_mapped()} for max_pfn_mapped. */
    private static void addPfnRangeMapped(BootState k, long endPfn) {
        k.maxPfnMapped = Math.max(k.maxPfnMapped, endPfn);
    }

    /**
     * Models {@code initmem_init()} (non-NUMA): highmem spans [max_low_pfn, max_pfn) if RAM goes
     * beyond lowmem; prints both sizes and sets high_memory and max_mapnr.
     */
    static void initmemInit(BootState k) {
        k.highstartPfn = k.maxPfn;
        k.highendPfn = k.maxPfn;
        if (k.maxPfn > k.maxLowPfn) {
            k.highstartPfn = k.maxLowPfn;
        }
        k.dmesg.printk("%dMB HIGHMEM available.", pagesToMb(k.highendPfn - k.highstartPfn));
        k.highMemory = ul(ul(ul(k.highstartPfn * PAGE_SIZE - 1) + k.profile.pageOffset()) + 1);
        k.maxMapnr = k.highendPfn;
        k.dmesg.printk("%dMB LOWMEM available.", pagesToMb(k.maxLowPfn));
        setupBootmemAllocator(k);
    }

    /** Models {@code setup_bootmem_allocator()}: two lines about the direct map. */
    static void setupBootmemAllocator(BootState k) {
        k.dmesg.printk("  mapped low ram: 0 - %08x", ul(k.maxPfnMapped << PAGE_SHIFT));
        k.dmesg.printk("  low ram: 0 - %08x", ul(k.maxLowPfn << PAGE_SHIFT));
    }

    /** Models {@code zone_sizes_init()}: DMA below 16 MB, Normal to max_low_pfn, HighMem to max_pfn. */
    static void zoneSizesInit(BootState k) {
        long[] maxZonePfn = {Math.min(MAX_DMA_PFN, k.maxLowPfn), k.maxLowPfn, k.maxPfn};
        k.zones = new FreeAreaInit(k);
        k.zones.freeAreaInit(maxZonePfn);
    }

    /**
     * Models {@code set_highmem_pages_init()}: each highmem zone (HighMem, and Movable when it
     * would sit in highmem) is announced and its RAM handed to the page allocator.
     */
    static void setHighmemPagesInit(BootState k) {
        for (int z = 0; z < FreeAreaInit.MAX_NR_ZONES; z++) {
            if (!k.zones.isHighmem(z)) {
                continue;
            }
            long start = k.zones.zoneStartPfn(z);
            long end = start + k.zones.spannedPages(z);
            k.dmesg.printk("Initializing %s for node %d (%08x:%08x)", FreeAreaInit.ZONE_NAMES[z], 0,
                    start, end);
            addHighpagesWithActiveRegions(k, start, end);
        }
    }

    /**
     * Models {@code add_highpages_with_active_regions()}: every valid pfn of free memory in
     * [startPfn, endPfn) becomes a free highmem page. Memblock reservations are not modelled;
     * on these boots none lies in highmem (an initrd loaded there is moved to lowmem and freed).
     */
    static void addHighpagesWithActiveRegions(BootState k, long startPfn, long endPfn) {
        for (PfnRange r : k.memblock.pfnRanges()) {
            PfnRange part = r.clamp(startPfn, endPfn);
            long validEnd = Math.min(part.end(), k.maxMapnr);
            k.totalhighPages += Math.max(0, validEnd - part.start());
        }
    }
}
