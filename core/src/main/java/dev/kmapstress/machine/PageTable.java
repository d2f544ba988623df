package dev.kmapstress.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The kernel page-table entries the model needs: {@code pkmap_page_table} (one PTE per PKMAP
 * slot) followed by the FIX_KMAP fixmap slots of every configured CPU. A PTE is the kernel's
 * value: pfn shifted by PAGE_SHIFT plus PAGE_KERNEL bits; 0 is {@code pte_none}.
 *
 * <p>PTEs are written with release and read with acquire semantics: a CPU's page walk may
 * race with the writer (hardware walks take no lock), and a walk that sees a PTE must see the
 * page it maps. The exception is a CPU's own FIX_KMAP slots, which only that CPU uses
 * ({@link #getLocal}, {@link #setLocal}).
 */
public final class PageTable {

    /** _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL. */
    public static final long PAGE_KERNEL = 0x163;

    private static final VarHandle PTE = MethodHandles.arrayElementVarHandle(long[].class);

    private final Layout layout;
    private final int lastPkmap;
    private final int fixSlots;
    private final long[] ptes;
    /** PKMAP_BASE and the end of the window: {@link #index} reads them here, not through the layout. */
    private final long pkmapBase;
    private final long pkmapEnd;
    /** {@code __fix_to_virt(FIX_KMAP_BEGIN)}: fixmap slots go down from here. */
    private final long fixKmapBeginAddr;

    public PageTable(Layout layout, int fixSlots) {
        this.layout = layout;
        this.lastPkmap = layout.lastPkmap();
        this.fixSlots = fixSlots;
        this.ptes = new long[lastPkmap + fixSlots];
        this.pkmapBase = layout.pkmapBase();
        this.pkmapEnd = layout.pkmapAddr(lastPkmap);
        this.fixKmapBeginAddr = layout.fixToVirt(layout.fixKmapBegin());
    }

    /** The number of slots (PKMAP then fixmap), the size of every CPU's TLB. */
    public int slots() {
        return ptes.length;
    }

    /**
     * The slot mapping {@code vaddr}, or -1 if the address is in neither window (an access
     * there is a page fault). Every translation and local TLB flush asks, so it is a subtraction
     * and a bounds check per window.
     */
    public int index(long vaddr) {
        long fix = (fixKmapBeginAddr - (vaddr & Profile.PAGE_MASK)) >> Profile.PAGE_SHIFT;
        if (fix >= 0 && fix < fixSlots) {
            return lastPkmap + (int) fix;
        }
        if (vaddr >= pkmapBase && vaddr < pkmapEnd) {
            return (int) ((vaddr - pkmapBase) >> Profile.PAGE_SHIFT);
        }
        return -1;
    }

    /** The slot of fixmap index {@code fixIdx} (FIX_KMAP_BEGIN + n). */
    public int fixmapSlot(int fixIdx) {
        return lastPkmap + fixIdx - layout.fixKmapBegin();
    }

    /** Reads the PTE of {@code slot} (a page walk, or a kernel read of its own table). */
    public long get(int slot) {
        return (long) PTE.getAcquire(ptes, slot);
    }

    /** Models {@code set_pte_at()}. */
    public void set(int slot, long pte) {
        PTE.setRelease(ptes, slot, pte);
    }

    /** Models {@code pte_clear()}. */
    public void clear(int slot) {
        PTE.setRelease(ptes, slot, 0L);
    }

    /** Reads the PTE of a slot only the calling CPU uses: a plain load (see {@link #setLocal}). */
    public long getLocal(int slot) {
        return ptes[slot];
    }

    /**
     * Models {@code set_pte_at()} (or, for 0, {@code pte_clear()}) on a slot only the calling
     * CPU uses, one of its own FIX_KMAP slots: a plain store. Only that CPU's thread reads the
     * slot, and a thread that takes the CPU over is ordered after the previous one by
     * {@code Cpu.enter}, so there is no race to order; unlike {@link #set}, it lets the JIT
     * keep the caller's fields in registers across it.
     */
    public void setLocal(int slot, long pte) {
        ptes[slot] = pte;
    }

    /** Models {@code mk_pte(page, PAGE_KERNEL)}. */
    public static long mkPte(Page page) {
        return (page.pfn() << Profile.PAGE_SHIFT) | PAGE_KERNEL;
    }

    /** Models {@code pte_pfn()}. */
    public static long ptePfn(long pte) {
        return pte >>> Profile.PAGE_SHIFT;
    }

    /** Models {@code pte_none()}. */
    public static boolean pteNone(long pte) {
        return pte == 0;
    }
}
