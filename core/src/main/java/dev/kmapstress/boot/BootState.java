package dev.kmapstress.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel globals one boot threads through {@code setup_arch()} and {@code mem_init()}
 * (max_pfn, max_low_pfn, highmem_pages, __VMALLOC_RESERVE, …), with the e820 table, memblock and
 * the lines printed so far. The model's functions read and write it as the kernel's functions
 * read and write their globals; it lives for one boot only.
 */
final class BootState {

    /** The {@code unsigned int highmem_pages} sentinel for "highmem= not given" (-1). */
    static final long HIGHMEM_PAGES_UNSET = 0xffff_ffffL;

    final BootProfile profile;
    final String cmdline;
    final Dmesg dmesg = new Dmesg();
    final E820Table e820 = new E820Table(dmesg);
    final Memblock memblock = new Memblock();
    /** kmap-stress remarks on what the model leaves out for this boot (not kernel output). */
    final List<String> notes = new ArrayList<>();

    List<E820Region> biosMap = List.of();
    /** Whether mem= edited the map ({@code userdef} of e820.c). */
    boolean userdef;
    /** {@code highmem_pages} of init_32.c: an unsigned int. */
    long highmemPages = HIGHMEM_PAGES_UNSET;
    /** {@code __VMALLOC_RESERVE}: an unsigned int. */
    long vmallocReserve = BootProfile.DEFAULT_VMALLOC_RESERVE;
    long maxPfn;
    long maxLowPfn;
    /** {@code max_pfn_mapped}; the early page tables of head_32.S are not modelled (see notes). */
    long maxPfnMapped;
    long highstartPfn;
    long highendPfn;
    /** {@code max_mapnr} (FLATMEM): pfn_valid() is pfn &lt; max_mapnr. */
    long maxMapnr;
    /** {@code high_memory}: the end of the direct map, a virtual address. */
    long highMemory;
    FreeAreaInit zones;
    long pciGapStart;
    long pciGapSize;
    /** {@code totalhigh_pages}. */
    long totalhighPages;

    BootState(BootProfile profile, String cmdline) {
        this.profile = profile;
        this.cmdline = cmdline;
    }
}
