package dev.kmapstress.mm;

import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Models {@code struct zone} as far as highmem needs it: its name, whether it is a highmem
 * zone, its pages, and the free ones with their count ({@code vm_stat[NR_FREE_PAGES]}, read
 * without the lock as {@code zone_page_state()} does). The free pages are a plain list under
 * {@code zone->lock}, taken and given back one at a time (order 0): the buddy allocator's
 * bookkeeping, not its splitting and merging, which nothing in the highmem code depends on.
 */
public final class Zone {

    private final String name;
    private final boolean highmem;
    private final long zoneStartPfn;
    private final long spannedPages;
    private final Spinlock lock;
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<Page> freeArea = new ArrayDeque<>();
    private final AtomicLong nrFreePages = new AtomicLong();

    /** A zone named {@code name} of {@code pages} (consecutive pfns), all free, guarded by {@code lock}. */
    Zone(String name, boolean highmem, List<Page> pages, Spinlock lock) {
        this.name = name;
        this.highmem = highmem;
        this.zoneStartPfn = pages.isEmpty() ? 0 : pages.get(0).pfn();
        this.spannedPages = pages.size();
        this.lock = lock;
        freeArea.addAll(pages);
        nrFreePages.set(pages.size());
    }

    /** The zone's name as /proc/zoneinfo prints it: DMA, Normal, HighMem. */
    public String name() { return name; }

    /** Models {@code is_highmem(zone)}. */
    public boolean isHighmem() { return highmem; }

    /** Models {@code zone->zone_start_pfn}. */
    public long zoneStartPfn() { return zoneStartPfn; }

    /** Models {@code zone->spanned_pages}. */
    public long spannedPages() { return spannedPages; }

    /** Models {@code populated_zone()}. */
    public boolean populated() { return spannedPages != 0; }

    /** Models {@code zone_page_state(zone, NR_FREE_PAGES)}: racy, as the kernel's read is. */
    public long nrFreePages() { return nrFreePages.get(); }

    /** Takes a free page under zone->lock (an order-0 {@code rmqueue()}), or null if none is left. */
    Page rmqueue(Cpu cpu) {
        boolean flags = lock.spinLockIrqsave(cpu);
        Page page = freeArea.pollFirst();
        if (page != null) {
            nrFreePages.decrementAndGet();
        }
        lock.spinUnlockIrqrestore(cpu, flags);
        return page;
    }

    /** Gives {@code page} back under zone->lock ({@code free_one_page()}, order 0). */
    void freeOnePage(Cpu cpu, Page page) {
        boolean flags = lock.spinLockIrqsave(cpu);
        freeArea.addFirst(page);
        nrFreePages.incrementAndGet();
        lock.spinUnlockIrqrestore(cpu, flags);
    }

    /** Whether {@code page} lies in this zone's span. */
    boolean spans(Page page) {
        return page.pfn() >= zoneStartPfn && page.pfn() < zoneStartPfn + spannedPages;
    }

    @Override
    public String toString() {
        return name;
    }
}
