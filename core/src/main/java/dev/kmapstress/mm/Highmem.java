package dev.kmapstress.mm;

import dev.kmapstress.locking.Spinlocks;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KmapCtrl;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;
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
    /** might_alloc()'s might_sleep_if(), inlined into __alloc_pages() via prepare_alloc_pages(). */
    static final Site ALLOC_PAGES_MIGHT_SLEEP = new Site("include/linux/sched/mm.h", 274, "__alloc_pages");
    /** MAX_DMA_PFN: ZONE_DMA ends at 16 MB. */
    static final long MAX_DMA_PFN = (16L << 20) >> Profile.PAGE_SHIFT;

    private final MachineContext machine;
    private final Layout layout;
    private final Pkmap pkmap;
    private final KmapLocal kmapLocal;
    private final PageTable pageTable;
    private final PageAddressTable pageAddressTable;
    private final Scheduler scheduler;
    /** Models {@code _totalhigh_pages}. */
    private final AtomicLong totalhighPages;
    /** The populated zones, lowest first (DMA, Normal, HighMem): the zonelist's reverse. */
    private final List<Zone> zones;

    public Highmem(MachineContext machine, Spinlocks spinlocks, Pkmap pkmap, KmapLocal kmapLocal,
            PageTable pageTable, PageAddressTable pageAddressTable, Scheduler scheduler) {
        this.machine = machine;
        this.layout = machine.layout();
        this.pkmap = pkmap;
        this.kmapLocal = kmapLocal;
        this.pageTable = pageTable;
        this.pageAddressTable = pageAddressTable;
        this.scheduler = scheduler;
        this.totalhighPages = new AtomicLong(machine.config().highmemPages());
        this.zones = buildZones(machine, spinlocks);
    }

    /**
     * The zones of x86-32 over the machine's pages: DMA below 16 MB, Normal up to the end of
     * lowmem, HighMem above it; unpopulated ones left out.
     */
    private static List<Zone> buildZones(MachineContext machine, Spinlocks spinlocks) {
        List<Page> dma = new ArrayList<>();
        List<Page> normal = new ArrayList<>();
        List<Page> high = new ArrayList<>();
        for (int k = 0; k < machine.lowPageCount(); k++) {
            Page p = machine.lowPage(k);
            (p.pfn() < MAX_DMA_PFN ? dma : normal).add(p);
        }
        for (int k = 0; k < machine.highPageCount(); k++) {
            high.add(machine.highPage(k));
        }
        List<Zone> zones = new ArrayList<>();
        addZone(spinlocks, zones, "DMA", false, dma);
        addZone(spinlocks, zones, "Normal", false, normal);
        addZone(spinlocks, zones, "HighMem", true, high);
        return List.copyOf(zones);
    }

    private static void addZone(Spinlocks spinlocks, List<Zone> zones, String name, boolean highmem,
            List<Page> pages) {
        if (!pages.isEmpty()) {
            zones.add(new Zone(name, highmem, pages, spinlocks.newSpinlock("zone->lock")));
        }
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
            machine.reports().warnOnce(cpu, KMAP_TO_PAGE_PKMAP);
            return machine.pfnToPage(PageTable.ptePfn(pageTable.get(layout.pkmapNr(vaddr))));
        }
        long base = vaddr & Profile.PAGE_MASK;
        if (base >= layout.fixToVirt(layout.fixKmapEnd()) && base < layout.fixToVirt(layout.fixKmapBegin())) {
            machine.reports().warnOnce(cpu, KMAP_TO_PAGE_LOCAL);
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
     * Models {@code nr_free_highpages()} ({@code __nr_free_highpages}): NR_FREE_PAGES summed over
     * the populated highmem zones, each read without its lock. Pages leave the count when
     * {@link #allocPage} hands them out and come back with {@link #freePage}; the pages tests and
     * torture runs name directly are not allocated, so they count as free.
     */
    public long nrFreeHighpages() {
        long pages = 0;
        for (Zone zone : zones) {
            if (zone.isHighmem()) {
                pages += zone.nrFreePages();
            }
        }
        return pages;
    }

    /** The machine's populated zones, lowest first. */
    public List<Zone> zones() {
        return zones;
    }

    /**
     * Models {@code alloc_page(GFP_HIGHUSER)} for order 0: may sleep (might_sleep), then takes a
     * free page from the first zone of the zonelist that has one, HighMem first, then Normal,
     * then DMA. Returns null when every zone is empty (the model has no reclaim).
     */
    public Page allocPage(Cpu cpu) {
        scheduler.mightSleep(cpu, ALLOC_PAGES_MIGHT_SLEEP);
        for (int i = zones.size() - 1; i >= 0; i--) {
            Page page = zones.get(i).rmqueue(cpu);
            if (page != null) {
                return page;
            }
        }
        return null;
    }

    /** Models {@code __free_page()} of an order-0 page: back to its zone's free pages. */
    public void freePage(Cpu cpu, Page page) {
        for (Zone zone : zones) {
            if (zone.spans(page)) {
                zone.freeOnePage(cpu, page);
                return;
            }
        }
        throw new IllegalArgumentException(page + " is in no zone of this machine");
    }
}
