package dev.kmapstress.machine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A kernel build the model can be: its address-space layout and the architecture choices that
 * change how highmem mapping behaves (who flushes TLBs how, whether kmap_high_get exists, how
 * many cache colours the PKMAP window has, whether a VIVT data cache needs flushing).
 *
 * <p>The two x86 profiles carry the constants measured inside Debian's 6.1 i386 kernels
 * ({@code examples/boot/README.md}); FIXADDR_START and FIX_KMAP_BEGIN depend on the
 * compiled kernel's fixmap and are taken from those measurements. The arm-like and
 * aliasing-cache profiles are not measured: they take the x86 numbers where nothing differs and
 * the architecture's header values (ARM's PKMAP below PAGE_OFFSET, its fixmap top; xtensa's
 * colouring) where something does.
 */
public enum Profile {

    /** Debian 686-pae 6.1: HIGHMEM64G, PAE page tables (PMD 2 MB), LAST_PKMAP 512. */
    X86_PAE("x86-pae", "Debian 686-pae 6.1 (HIGHMEM64G, PAE): IPI TLB shootdown",
            0xc000_0000L, 0xff00_0000L, 512, 0xffff_f000L, 0xffdb_8000L, 68, 32,
            2 << 20, 0xfeff_e000L, true, false, false, 1),

    /** Debian 686 6.1: HIGHMEM4G, two-level page tables (PMD 4 MB), LAST_PKMAP 1024. */
    X86_4G("x86-4g", "Debian 686 6.1 (HIGHMEM4G): IPI TLB shootdown",
            0xc000_0000L, 0xfec0_0000L, 1024, 0xffff_f000L, 0xffdb_8000L, 68, 32,
            4 << 20, 0xfebf_e000L, false, false, false, 1),

    /**
     * ARM-like (ARCH_NEEDS_KMAP_HIGH_GET): PKMAP in the PMD below PAGE_OFFSET, kmap_high_get
     * available, every kmap_lock taken with IRQs off, TLB maintenance broadcast by hardware, and
     * a VIVT data cache ({@code cache_is_vivt()}: the cache for which arch/arm/include/asm/highmem.h
     * calls kmap_high_get "essential" and its flush_cache_kmaps and arch_kmap_local_pre_unmap
     * flush; on VIPT caches both are no-ops). Real VIVT ARMs are uniprocessors; see
     * {@code mm.DataCache} for what the model keeps on more CPUs.
     */
    ARM_LIKE("arm-like", "ARM-like: kmap_high_get, IRQ-off kmap_lock, hardware TLB broadcast, VIVT data cache",
            0xc000_0000L, 0xbfe0_0000L, 512, 0xffef_f000L, 0xffc8_0000L, 1, 16,
            2 << 20, 0xff80_0000L, true, true, true, 1),

    /**
     * Aliasing data cache (xtensa-style colouring, 4 colours) on the x86-pae layout: the PKMAP
     * scan, wrap test, budget and wait queue are per colour.
     */
    ALIASING_CACHE("aliasing-cache", "x86-pae layout with 4 cache colours (xtensa-style)",
            0xc000_0000L, 0xff00_0000L, 512, 0xffff_f000L, 0xffdb_8000L, 68, 32,
            2 << 20, 0xfeff_e000L, true, false, false, 4);

    /** Every profile has 4 KiB pages. */
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    public static final long PAGE_MASK = ~(long) (PAGE_SIZE - 1);
    /** KM_MAX_IDX of include/asm-generic/kmap_size.h, without and with DEBUG_KMAP_LOCAL. */
    public static final int KM_MAX_IDX = 16;
    public static final int KM_MAX_IDX_DEBUG = 33;

    private final String id;
    private final String description;
    private final long pageOffset;
    private final long pkmapBase;
    private final int lastPkmap;
    private final long fixaddrTop;
    private final long fixaddrStart;
    private final int fixKmapBegin;
    private final int nrCpus;
    private final int pmdSize;
    private final long vmallocEnd;
    private final boolean highmem64g;
    private final boolean kmapHighGet;
    private final boolean hardwareTlbBroadcast;
    private final int colours;

    Profile(String id, String description, long pageOffset, long pkmapBase, int lastPkmap,
            long fixaddrTop, long fixaddrStart, int fixKmapBegin, int nrCpus, int pmdSize,
            long vmallocEnd, boolean highmem64g, boolean kmapHighGet,
            boolean hardwareTlbBroadcast, int colours) {
        this.id = id;
        this.description = description;
        this.pageOffset = pageOffset;
        this.pkmapBase = pkmapBase;
        this.lastPkmap = lastPkmap;
        this.fixaddrTop = fixaddrTop;
        this.fixaddrStart = fixaddrStart;
        this.fixKmapBegin = fixKmapBegin;
        this.nrCpus = nrCpus;
        this.pmdSize = pmdSize;
        this.vmallocEnd = vmallocEnd;
        this.highmem64g = highmem64g;
        this.kmapHighGet = kmapHighGet;
        this.hardwareTlbBroadcast = hardwareTlbBroadcast;
        this.colours = colours;
    }

    /** The name users select it by, e.g. {@code x86-pae}. */
    public String id() { return id; }
    public String description() { return description; }
    public long pageOffset() { return pageOffset; }
    public long pkmapBase() { return pkmapBase; }
    /** The kernel's LAST_PKMAP (PTRS_PER_PTE): the largest window this profile allows. */
    public int lastPkmap() { return lastPkmap; }
    public long fixaddrTop() { return fixaddrTop; }
    public long fixaddrStart() { return fixaddrStart; }
    public int fixKmapBegin() { return fixKmapBegin; }
    /** CONFIG_NR_CPUS: the most CPUs a machine of this profile may have. */
    public int nrCpus() { return nrCpus; }
    public int pmdSize() { return pmdSize; }
    public long vmallocEnd() { return vmallocEnd; }
    /** HIGHMEM64G (PAE) rather than HIGHMEM4G. */
    public boolean highmem64g() { return highmem64g; }
    /** ARCH_NEEDS_KMAP_HIGH_GET: kmap_high_get exists and kmap_lock disables IRQs. */
    public boolean kmapHighGet() { return kmapHighGet; }
    /** TLB maintenance is broadcast by hardware (no IPIs, no waiting for other CPUs). */
    public boolean hardwareTlbBroadcast() { return hardwareTlbBroadcast; }
    /** Default number of PKMAP cache colours. */
    public int colours() { return colours; }
    /**
     * ARM's {@code cache_is_vivt()}: a virtually tagged write-back data cache that the kernel
     * flushes before it unmaps a kmap (arm-like only; x86's caches are physically indexed).
     */
    public boolean vivtDataCache() { return this == ARM_LIKE; }

    /**
     * The profile named {@code name}.
     *
     * @throws IllegalArgumentException naming the value and listing the known profiles
     */
    public static Profile parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Profile p : values()) {
            if (p.id.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + name + "'; known: " + ids());
    }

    /** Every profile name, comma-separated. */
    public static String ids() {
        return Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
