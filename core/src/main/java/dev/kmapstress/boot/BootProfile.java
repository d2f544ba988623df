package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SIZE;

import dev.kmapstress.machine.Profile;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The boot-time constants of a 32-bit x86 kernel build, and the top of its kernel address space
 * derived from them the way {@code pgtable_32_areas.h} and {@code fixmap.h} do: the fixmap under
 * FIXADDR_TOP, the CPU entry area under the fixmap, the LDT under that, PKMAP_BASE under the LDT
 * (each rounded down to the PMD size) and VMALLOC_END two pages under PKMAP_BASE.
 *
 * <p>PAGE_OFFSET, the PMD size, FIXADDR_TOP, FIX_KMAP_BEGIN, NR_CPUS and HIGHMEM64G come from the
 * {@link Profile} this boot profile belongs to; PKMAP_BASE and VMALLOC_END are derived here (a
 * test checks that the derivation lands on the Profile's measured values).
 *
 * <p><b>Calibrated constants</b> (they depend on the compiled kernel, not on RAM):
 * <ul>
 * <li>{@link #FIXMAP_SLOTS_AFTER_KMAP} = 3: the permanent fixmap slots after FIX_KMAP_END
 *     (FIX_PCIE_MCFG, FIX_APEI_GHES_IRQ, FIX_APEI_GHES_NMI in Debian's config). With
 *     FIX_KMAP_BEGIN 68 and 32 CPUs this puts {@code __end_of_permanent_fixed_addresses} at 583,
 *     i.e. FIXADDR_START at the 0xffdb8000 measured in both Debian 6.1 kernels
 *     ({@code examples/boot/README.md}).</li>
 * <li>{@link #CPU_ENTRY_AREA_PAGES_PER_CPU} = 43: {@code sizeof(struct cpu_entry_area)} on
 *     32-bit (GDT, two guard pages, entry stack, doublefault stack, a 5-page TSS with its I/O
 *     bitmaps, the debug store and 32 pages of BTS/PEBS buffers). The measured PKMAP_BASE of both
 *     example kernels pins it only to 32..47 pages; 43 is the value the structure's members add
 *     up to.</li>
 * </ul>
 * A possible FIX_TBOOT_BASE slot (CONFIG_INTEL_TXT) would add one temporary fixmap slot and moves
 * nothing: the CPU entry area is rounded down to a PMD boundary with room to spare.
 */
public enum BootProfile {

    /** Debian 686-pae 6.1: HIGHMEM64G, 36-bit physical addresses, PMD 2 MB. */
    X86_PAE(Profile.X86_PAE),

    /** Debian 686 6.1: HIGHMEM4G, 32-bit physical addresses, PMD 4 MB. */
    X86_4G(Profile.X86_4G);

    /** Calibrated: permanent fixmap slots after FIX_KMAP_END (see the class comment). */
    static final int FIXMAP_SLOTS_AFTER_KMAP = 3;
    /** Calibrated: pages of one CPU's entry area (see the class comment). */
    static final int CPU_ENTRY_AREA_PAGES_PER_CPU = 43;
    /** NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS: early_ioremap's temporary fixmap slots. */
    static final int TOTAL_FIX_BTMAPS = 64 * 8;
    /** VMALLOC_OFFSET: the guard gap between the direct map and VMALLOC_START. */
    public static final long VMALLOC_OFFSET = 8L << 20;
    /** The default {@code __VMALLOC_RESERVE} (arch/x86/mm/pgtable_32.c). */
    public static final long DEFAULT_VMALLOC_RESERVE = 128L << 20;

    private final Profile profile;

    BootProfile(Profile profile) {
        this.profile = profile;
    }

    /** The machine profile whose constants this boot profile uses. */
    public Profile profile() { return profile; }
    public String id() { return profile.id(); }
    public long pageOffset() { return profile.pageOffset(); }
    public int pmdSize() { return profile.pmdSize(); }
    /** CONFIG_HIGHMEM64G (PAE); otherwise HIGHMEM4G. */
    public boolean highmem64g() { return profile.highmem64g(); }
    /** PTRS_PER_PTE: one page table maps one PMD. */
    public int ptrsPerPte() { return pmdSize() / PAGE_SIZE; }
    /** pageblock_nr_pages: HUGETLB_PAGE_ORDER is the PMD order on both profiles. */
    public long pageblockPages() { return ptrsPerPte(); }
    /** MAX_ARCH_PFN of e820.c: 36 physical address bits with PAE, 32 without. */
    public long maxArchPfn() { return 1L << ((highmem64g() ? 36 : 32) - Profile.PAGE_SHIFT); }
    /** Whether phys_addr_t (and resource_size_t) is 64 bits wide (CONFIG_PHYS_ADDR_T_64BIT). */
    public boolean physAddr64() { return highmem64g(); }
    /** LAST_PKMAP. */
    public int lastPkmap() { return profile.lastPkmap(); }
    public long fixaddrTop() { return profile.fixaddrTop(); }
    public int fixKmapBegin() { return profile.fixKmapBegin(); }
    /** FIX_KMAP_END = FIX_KMAP_BEGIN + KM_MAX_IDX * NR_CPUS - 1. */
    public int fixKmapEnd() { return fixKmapBegin() + Profile.KM_MAX_IDX * profile.nrCpus() - 1; }

    /** {@code __end_of_permanent_fixed_addresses}. */
    public int endOfPermanentFixedAddresses() {
        return fixKmapEnd() + 1 + FIXMAP_SLOTS_AFTER_KMAP;
    }

    /**
     * {@code __end_of_fixed_addresses}: the temporary boot-time slots follow the permanent ones,
     * moved up to a page-table boundary if they would straddle one, then FIX_WP_TEST.
     */
    public int endOfFixedAddresses() {
        int permanent = endOfPermanentFixedAddresses();
        boolean straddles = ((permanent ^ (permanent + TOTAL_FIX_BTMAPS - 1)) & -ptrsPerPte()) != 0;
        int btmapEnd = straddles ? permanent + TOTAL_FIX_BTMAPS - (permanent & (TOTAL_FIX_BTMAPS - 1))
                : permanent;
        int btmapBegin = btmapEnd + TOTAL_FIX_BTMAPS - 1;
        int wpTest = btmapBegin + 1;
        return wpTest + 1;
    }

    /** FIXADDR_START = FIXADDR_TOP - FIXADDR_SIZE (permanent slots only). */
    public long fixaddrStart() {
        return fixaddrTop() - (long) endOfPermanentFixedAddresses() * PAGE_SIZE;
    }

    /** FIXADDR_TOT_START: the bottom of the whole fixmap, temporary slots included. */
    public long fixaddrTotStart() {
        return fixaddrTop() - (long) endOfFixedAddresses() * PAGE_SIZE;
    }

    /** CPU_ENTRY_AREA_BASE: the per-CPU areas plus the read-only IDT page, PMD-aligned. */
    public long cpuEntryAreaBase() {
        return cpuEntryAreaBase(CPU_ENTRY_AREA_PAGES_PER_CPU);
    }

    /** CPU_ENTRY_AREA_BASE for a given per-CPU size (the calibration test varies it). */
    long cpuEntryAreaBase(int pagesPerCpu) {
        long pages = (long) profile.nrCpus() * pagesPerCpu;
        return pmdAlignDown(fixaddrTotStart() - PAGE_SIZE * (pages + 1));
    }

    /** LDT_BASE_ADDR: one PMD under the CPU entry area. */
    public long ldtBaseAddr() {
        return ldtBaseAddr(cpuEntryAreaBase());
    }

    /** PKMAP_BASE: the PMD under the LDT. */
    public long pkmapBase() {
        return pkmapBase(cpuEntryAreaBase());
    }

    /** PKMAP_BASE for a given CPU entry area base (the calibration test varies it). */
    long pkmapBase(long cpuEntryAreaBase) {
        return pmdAlignDown(ldtBaseAddr(cpuEntryAreaBase) - PAGE_SIZE);
    }

    /** VMALLOC_END with CONFIG_HIGHMEM: two guard pages under PKMAP_BASE. */
    public long vmallocEnd() {
        return pkmapBase() - 2L * PAGE_SIZE;
    }

    /** Models {@code __fix_to_virt(idx)}. */
    public long fixToVirt(int idx) {
        return fixaddrTop() - (long) idx * PAGE_SIZE;
    }

    private long ldtBaseAddr(long cpuEntryAreaBase) {
        return pmdAlignDown(cpuEntryAreaBase - PAGE_SIZE);
    }

    private long pmdAlignDown(long addr) {
        return addr & -(long) pmdSize();
    }

    /**
     * The boot profile named {@code name} ({@code x86-pae} or {@code x86-4g}).
     *
     * @throws IllegalArgumentException naming the value and the known profiles
     */
    public static BootProfile parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (BootProfile p : values()) {
            if (p.id().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown boot profile '" + name + "'; known: "
                + Arrays.stream(values()).map(BootProfile::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}
