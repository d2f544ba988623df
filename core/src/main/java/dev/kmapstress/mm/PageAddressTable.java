package dev.kmapstress.mm;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.locking.Spinlocks;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;

/**
 * Models HASHED_PAGE_VIRTUAL: the page→virtual table of highmem pages. 128 buckets
 * (PA_HASH_ORDER 7; those no highmem page of the machine hashes to are left out, see
 * {@link #pageAddressInit}), each a spinlock and a doubly linked list of {@code page_address_map}
 * entries; the entries are preallocated, one per PKMAP slot, since a page has an address
 * only while it holds a slot.
 *
 * <p>Writers ({@link #setPageAddress}) always run under kmap_lock, so they never race with
 * each other; the bucket lock is what protects readers ({@link #pageAddress}), which run
 * without kmap_lock. A removed entry is poisoned as {@code list_del} does, so a walk that
 * reaches it because another CPU edited the list at the same time (a reader without the bucket
 * lock, a writer whose kmap_lock is broken) faults at LIST_POISON1, as the kernel would; a walk
 * that such edits sent round a loop without the head spins there, where the lockup detectors
 * see it, as the kernel's CPU would.
 */
public final class PageAddressTable {

    public static final int PA_HASH_ORDER = 7;
    /** GOLDEN_RATIO_32 of include/linux/hash.h. */
    private static final int GOLDEN_RATIO_32 = 0x61C88647;
    /** LIST_POISON1 and LIST_POISON2 with POISON_POINTER_DELTA 0 (i386). */
    public static final long LIST_POISON1 = 0x100;
    public static final long LIST_POISON2 = 0x122;

    static final Site SET_PAGE_ADDRESS_BUG = new Site("mm/highmem.c", 780, "set_page_address");
    /** What a CPU spins on in a bucket walk that has left its list ({@code visit}). */
    static final String ENDLESS_BUCKET = "a page_address bucket list that never returns to its head";

    /** Models {@code struct page_address_map}. */
    static final class PageAddressMap {
        Page page;
        long virtual;
        PageAddressMap next;
        PageAddressMap prev;
        /**
         * Whether this stands for LIST_POISON1 or 2, where list_del leaves a removed entry's
         * pointers. The walk tests it on the entry it reads anyway, instead of comparing the
         * entry with the table's two poison objects (two more loads after the bucket lock).
         */
        final boolean poison;

        PageAddressMap() {
            this(false);
        }

        PageAddressMap(boolean poison) {
            this.poison = poison;
            next = this;
            prev = this;
        }
    }

    /** Models {@code struct page_address_slot}: a bucket. */
    static final class PageAddressSlot {
        final PageAddressMap lh = new PageAddressMap();
        final Spinlock lock;

        PageAddressSlot(Spinlock lock) {
            this.lock = lock;
        }
    }

    private final MachineContext machine;
    private final Mmu mmu;
    private final Layout layout;
    private final PageAddressSlot[] htable = new PageAddressSlot[1 << PA_HASH_ORDER];
    private final PageAddressMap[] pageAddressMaps;
    private final PageAddressMap poison1 = new PageAddressMap(true);
    private final PageAddressMap poison2 = new PageAddressMap(true);
    private final boolean bucketUnlocked;
    private final Tracer tracer;

    public PageAddressTable(MachineContext machine, Spinlocks spinlocks, Mmu mmu) {
        this.machine = machine;
        this.mmu = mmu;
        this.layout = machine.layout();
        this.bucketUnlocked = machine.config().has(Fault.BUCKET_UNLOCKED);
        this.tracer = machine.tracer();
        this.pageAddressMaps = new PageAddressMap[layout.lastPkmap()];
        for (int i = 0; i < pageAddressMaps.length; i++) {
            pageAddressMaps[i] = new PageAddressMap();
        }
        pageAddressInit(spinlocks);
    }

    /**
     * Models {@code page_address_init()}: empty buckets, each with its lock. Only highmem pages
     * ever reach a bucket, so a bucket none of the machine's highmem pages hashes to is never
     * touched and is not built: a JCStress sample's machine (a handful of pages) builds a
     * handful of locks rather than 128, which was most of its set-up cost
     * ({@code SampleSetup.buildSampleMachine}).
     */
    private void pageAddressInit(Spinlocks spinlocks) {
        for (int k = 0; k < machine.highPageCount(); k++) {
            int i = bucketOf(machine.highPage(k));
            if (htable[i] == null) {
                htable[i] = new PageAddressSlot(spinlocks.newSpinlock("page_address_htable[" + i + "].lock"));
            }
        }
    }

    /**
     * Models {@code hash_ptr(page, PA_HASH_ORDER)} on a 32-bit kernel: {@code hash_32} of the
     * {@code struct page} pointer (x86 has no arch hash): multiplied by GOLDEN_RATIO_32, the
     * top PA_HASH_ORDER bits kept. The pointer is the page's place in mem_map
     * ({@link Layout#pfnToPageAddress}), so pages share a bucket, and its lock, as the kernel's
     * do for that mem_map.
     */
    public int bucketOf(Page page) {
        return hash32((int) layout.pfnToPageAddress(page.pfn()), PA_HASH_ORDER);
    }

    /** Models {@code hash_32(val, bits)} with {@code __hash_32_generic}. */
    static int hash32(int val, int bits) {
        return (val * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /**
     * Models {@code page_slot()}: the page's bucket (for a highmem page; a lowmem page has
     * none). Arithmetic on the page's address in the kernel, loads here: kmap_high and
     * kunmap_high make them before they take kmap_lock (see {@link #pageAddress(Cpu, Page,
     * PageAddressMap, Spinlock)}).
     */
    PageAddressSlot pageSlot(Page page) {
        return htable[bucketOf(page)];
    }

    /** The lock of the bucket {@code page} hashes to ({@code page_slot(page)->lock}). */
    public Spinlock bucketLock(Page page) {
        return pageSlot(page).lock;
    }

    /**
     * Models {@code page_address()}: a lowmem page's fixed address, or the address a highmem
     * page is mapped at (0 for none), looked up under the bucket's lock.
     */
    public long pageAddress(Cpu cpu, Page page) {
        if (!page.isHighMem()) {
            return layout.lowmemPageAddress(page.pfn());
        }
        PageAddressSlot pas = pageSlot(page);
        return pageAddress(cpu, page, pas.lh, pas.lock);
    }

    /**
     * Models {@code page_address()} ({@link #pageAddress(Cpu, Page)}) with the page's bucket
     * ({@link #pageSlot}) already read: its list head {@code lh} and its {@code lock} (both
     * ignored for a lowmem page). kmap_high and kunmap_high, only ever called for highmem
     * pages (a lowmem page may hash to a bucket that was never built), read them before taking
     * kmap_lock. In the kernel {@code &pas->lh} and {@code &pas->lock} are addresses computed
     * from the page pointer; in the model each is a load, and no load may pass a locked
     * instruction: read after kmap_lock's, the bucket's Spinlock was the first of three
     * dependent loads (Spinlock, strategy, lock word) that the bucket lock's locked
     * instruction waited for. The bucket never changes once the table is built and both
     * fields are final, so reading them earlier changes nothing else.
     */
    long pageAddress(Cpu cpu, Page page, PageAddressMap lh, Spinlock lock) {
        if (!page.isHighMem()) {
            return layout.lowmemPageAddress(page.pfn());
        }
        long ret = 0;
        boolean flags = lock.spinLockIrqsave(cpu);
        long steps = 0;
        for (PageAddressMap pam = lh.next; pam != lh; pam = pam.next) {
            visit(cpu, pam, ++steps);
            if (tracer != null) trace(cpu, "page_address_map " + pam.page.name() + " "
                    + hexOrNull(pam.virtual));
            if (pam.page == page) {
                ret = pam.virtual;
                break;
            }
        }
        lock.spinUnlockIrqrestore(cpu, flags);
        if (tracer != null) trace(cpu, "page_address " + page.name() + " -> " + hexOrNull(ret));
        return ret;
    }

    /**
     * Models {@code set_page_address()}: adds the page's mapping at {@code virtual}, or removes
     * it for {@code virtual == 0}. Called with kmap_lock held. BUG for a lowmem page. The
     * removal walks the bucket as {@link #pageAddress(Cpu, Page)} does, faulting on a poisoned
     * link and spinning in a list that never returns to its head.
     */
    public void setPageAddress(Cpu cpu, Page page, long virtual) {
        if (!page.isHighMem()) {
            throw machine.reports().bug(cpu, SET_PAGE_ADDRESS_BUG);
        }
        PageAddressSlot pas = pageSlot(page);
        if (virtual != 0) {
            PageAddressMap pam = pageAddressMaps[layout.pkmapNr(virtual)];
            pam.page = page;
            pam.virtual = virtual;
            boolean flags = lockBucket(cpu, pas);
            listAddTail(pam, pas.lh);
            unlockBucket(cpu, pas, flags);
        } else {
            boolean flags = lockBucket(cpu, pas);
            long steps = 0;
            for (PageAddressMap pam = pas.lh.next; pam != pas.lh; pam = pam.next) {
                visit(cpu, pam, ++steps);
                if (pam.page == page) {
                    listDel(pam);
                    break;
                }
            }
            unlockBucket(cpu, pas, flags);
        }
        if (tracer != null) trace(cpu, "set_page_address " + page.name() + " " + hexOrNull(virtual));
    }

    private void trace(Cpu cpu, String text) {
        tracer.trace(cpu, Tracepoint.EVENT, null, text);
    }

    private static String hexOrNull(long vaddr) {
        return vaddr == 0 ? "NULL" : String.format("0x%08x", vaddr);
    }

    private boolean lockBucket(Cpu cpu, PageAddressSlot pas) {
        return !bucketUnlocked && pas.lock.spinLockIrqsave(cpu);
    }

    private void unlockBucket(Cpu cpu, PageAddressSlot pas, boolean flags) {
        if (!bucketUnlocked) {
            pas.lock.spinUnlockIrqrestore(cpu, flags);
        }
    }

    private static void listAddTail(PageAddressMap entry, PageAddressMap head) {
        PageAddressMap prev = head.prev;
        entry.next = head;
        entry.prev = prev;
        prev.next = entry;
        head.prev = entry;
    }

    private void listDel(PageAddressMap entry) {
        entry.next.prev = entry.prev;
        entry.prev.next = entry.next;
        entry.next = poison1;
        entry.prev = poison2;
    }

    /**
     * What {@code list_for_each_entry} over a bucket meets at {@code pam}, the walk's
     * {@code steps}-th entry, before it reads the entry. A poisoned link (a removed entry's,
     * reached only when CPUs edited the list at once or reused an entry still on it, which only
     * a broken lock allows) faults at LIST_POISON1 or 2, as the kernel's load does. An entry
     * past the most a bucket can hold (every page_address_map of the table) means the walk has
     * left its list and may go round for ever: it spins there, where the lockup detectors see
     * it.
     */
    private void visit(Cpu cpu, PageAddressMap pam, long steps) {
        if (pam.poison) {
            throw mmu.pageFault(cpu, pam == poison1 ? LIST_POISON1 : LIST_POISON2, false);
        }
        if (steps > pageAddressMaps.length) {
            cpu.spinInCorruptList(ENDLESS_BUCKET, steps - pageAddressMaps.length);
        }
    }
}
