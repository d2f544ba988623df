package dev.kmapstress.mm;

import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.sched.KmapCtrl;
import dev.kmapstress.sched.Scheduler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highmem API a kernel caller uses (include/linux/highmem.h and highmem-internal.h):
 * {@code kmap}/{@code kunmap}, {@code page_address}, {@code kmap_to_page} and the highmem
 * page counters. The persistent window itself is {@link Pkmap}.
 */
public final class Highmem {

    static final Site KMAP_MIGHT_SLEEP = new Site("include/linux/highmem-internal.h", 44, "kmap");
    static final Site KUNMAP_MIGHT_SLEEP = new Site("include/linux/highmem-internal.h", 55, "kunmap");
    static final Site KMAP_TO_PAGE_PKMAP = new Site("mm/highmem.c", 162, "__kmap_to_page");
    static final Site KMAP_TO_PAGE_LOCAL = new Site("mm/highmem.c", 167, "__kmap_to_page");

    private final Machine machine;
    private final Layout layout;
    private final Pkmap pkmap;
    private final PageTable pageTable;
    private final PageAddressTable pageAddressTable;
    private final Scheduler scheduler;
    /** Models {@code _totalhigh_pages}. */
    private final AtomicLong totalhighPages;
    /** NR_FREE_PAGES of the (single) highmem zone. */
    private final AtomicLong highmemZoneFree;

    public Highmem(Machine machine, Pkmap pkmap, PageTable pageTable,
            PageAddressTable pageAddressTable, Scheduler scheduler) {
        this.machine = machine;
        this.layout = machine.layout();
        this.pkmap = pkmap;
        this.pageTable = pageTable;
        this.pageAddressTable = pageAddressTable;
        this.scheduler = scheduler;
        this.totalhighPages = new AtomicLong(machine.config().highmemPages());
        this.highmemZoneFree = new AtomicLong(machine.config().highmemPages());
    }

    /**
     * Models {@code kmap()}: may sleep; a lowmem page's fixed address, a highmem page mapped
     * through {@link Pkmap#kmapHigh}.
     */
    public long kmap(Cpu cpu, Page page) {
        cpu.irqPoint();
        scheduler.mightSleep(cpu, KMAP_MIGHT_SLEEP);
        if (!page.isHighMem()) {
            return pageAddressTable.pageAddress(cpu, page);
        }
        return pkmap.kmapHigh(cpu, page);
    }

    /** Models {@code kunmap()}: nothing for lowmem, {@link Pkmap#kunmapHigh} for highmem. */
    public void kunmap(Cpu cpu, Page page) {
        cpu.irqPoint();
        scheduler.mightSleep(cpu, KUNMAP_MIGHT_SLEEP);
        if (!page.isHighMem()) {
            return;
        }
        pkmap.kunmapHigh(cpu, page);
    }

    /** Models {@code page_address()}. */
    public long pageAddress(Cpu cpu, Page page) {
        return pageAddressTable.pageAddress(cpu, page);
    }

    /**
     * Models {@code __kmap_to_page()}: for a PKMAP address the page in the slot's PTE; for a
     * kmap_local address the page the current task's stack maps there, found by walking
     * {@code current->kmap_ctrl} (each with 6.1's one-time WARNING: the kernel discourages the
     * call); else {@code virt_to_page()}. Returns null where virt_to_page would name a page the
     * machine does not have.
     *
     * <p>The kernel's boundary, reproduced: 6.1's kmap_local range test is
     * {@code base < __fix_to_virt(FIX_KMAP_BEGIN)}, which leaves out the slot of FIX_KMAP_BEGIN
     * itself (CPU 0's first kmap_local address, 0xfffbb000 on x86): that address falls through
     * to virt_to_page, as measured in the real kernel, and does not return the mapped page.
     */
    public Page kmapToPage(Cpu cpu, long vaddr) {
        if (layout.inPkmapWindow(vaddr)) {
            machine.watchdog().warnOnce(cpu, KMAP_TO_PAGE_PKMAP);
            return machine.pfnToPage(PageTable.ptePfn(pageTable.get(layout.pkmapNr(vaddr))));
        }
        long base = vaddr & Profile.PAGE_MASK;
        if (base >= layout.fixToVirt(layout.fixKmapEnd()) && base < layout.fixToVirt(layout.fixKmapBegin())) {
            machine.watchdog().warnOnce(cpu, KMAP_TO_PAGE_LOCAL);
            Page page = kmapLocalToPage(cpu, base);
            if (page != null) {
                return page;
            }
        }
        return virtToPage(vaddr);
    }

    /**
     * The kmap_local loop of __kmap_to_page: the page whose saved PTE sits in the current
     * task's stack entry that maps {@code base} on this CPU, or null. A guard entry
     * (DEBUG_KMAP_LOCAL) holds PTE 0 and yields pfn 0's page, as in the kernel.
     */
    private Page kmapLocalToPage(Cpu cpu, long base) {
        KmapCtrl kctrl = cpu.current().kmapCtrl();
        KmapLocal kmapLocal = machine.kmapLocal();
        for (int i = 0; i < kctrl.idx(); i++) {
            long pteval = kctrl.pteval(i);
            int idx = kmapLocal.kmapLocalCalcIdx(cpu, i);
            if (layout.fixToVirt(layout.fixKmapBegin() + idx) == base) {
                return machine.pfnToPage(PageTable.ptePfn(pteval));
            }
        }
        return null;
    }

    /** Models {@code virt_to_page()} of a direct-mapped address. */
    public Page virtToPage(long vaddr) {
        return machine.pfnToPage(layout.virtToPfn(vaddr));
    }

    /** Models {@code totalhigh_pages()}. */
    public long totalhighPages() {
        return totalhighPages.get();
    }

    /**
     * Models {@code nr_free_highpages()}: NR_FREE_PAGES summed over highmem zones. The model has
     * one highmem zone and no page allocator: its pages belong to the tests that name them, so
     * the count stays at the zone's size.
     */
    public long nrFreeHighpages() {
        return highmemZoneFree.get();
    }
}
