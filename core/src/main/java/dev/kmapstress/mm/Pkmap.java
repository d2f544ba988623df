package dev.kmapstress.mm;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.wait.WaitStrategies;
import dev.kmapstress.lock.wait.WaitStrategy;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.locking.Spinlocks;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import dev.kmapstress.machine.WaitQueueEntry;
import dev.kmapstress.sched.Scheduler;
import dev.kmapstress.sched.WaitQueueHead;

/**
 * The persistent kmap window (PKMAP) of mm/highmem.c: kmap_high, kunmap_high, kmap_high_get,
 * map_new_virtual, flush_all_zero_pkmaps and the colour hooks, one Java method per kernel
 * function, in the kernel's order of lock/unlock, state changes and wake-ups.
 *
 * <p>Algorithmic notes. {@code pkmapCount[nr]} is not a plain count:
 * <ul>
 * <li>0: the slot is free and no TLB can still hold it; usable;</li>
 * <li>1: no users, but mapped since the last TLB flush; not reusable until
 *     flush_all_zero_pkmaps clears it and shoots down every TLB;</li>
 * <li>n &gt; 1: n-1 users.</li>
 * </ul>
 * The counts, the slots' PTEs and the page→address table's contents are guarded by
 * {@code kmap_lock}; a page's address can only be trusted under it. Waiters for a free slot
 * set their state and enqueue under kmap_lock, which is what lets kunmap_high test the queue
 * without the queue's own lock and wake outside kmap_lock.
 *
 * <p>Call {@code lockKmap}-style methods only from a thread running the given CPU.
 */
public final class Pkmap {

    static final Site KMAP_HIGH_BUG = new Site("mm/highmem.c", 308, "kmap_high");
    static final Site KMAP_HIGH_GET_BUG = new Site("mm/highmem.c", 332, "kmap_high_get");
    static final Site KUNMAP_HIGH_NO_VADDR = new Site("mm/highmem.c", 358, "kunmap_high");
    static final Site KUNMAP_HIGH_ZERO = new Site("mm/highmem.c", 368, "kunmap_high");
    static final Site FLUSH_PTE_NONE = new Site("mm/highmem.c", 207, "flush_all_zero_pkmaps");

    private final MachineContext machine;
    private final Mmu mmu;
    private final Layout layout;
    private final PageTable pageTable;
    private final PageAddressTable pageAddressTable;
    private final Scheduler scheduler;
    private final Spinlock kmapLock;
    /** pkmap_count[LAST_PKMAP], guarded by kmap_lock. */
    private final int[] pkmapCount;
    /** last_pkmap_nr per colour (one entry without colours), guarded by kmap_lock. */
    private final int[] lastPkmapNr;
    private final WaitQueueHead[] pkmapMapWait;
    /** How each colour's waiters sleep and are woken (wait-strategy=NAME). */
    private final WaitStrategy[] slotWait;
    private final int colours;
    private final boolean kmapHighGetAvailable;
    private final boolean irqOffLock;
    private final Tracer tracer;

    private final boolean unlockedAddressLookup;
    private final boolean noTlbFlush;
    private final boolean unmapToZero;
    private final boolean noRecheckAfterSleep;
    private final boolean wakeupTestAfterUnlock;
    private final boolean stateAfterUnlock;
    private final boolean countOutsideLock;
    private final boolean flushWithoutLock;
    private final boolean noFlushCacheKmaps;

    public Pkmap(MachineContext machine, Spinlocks spinlocks, PageTable pageTable, Mmu mmu,
            PageAddressTable pageAddressTable, Scheduler scheduler) {
        MachineConfig config = machine.config();
        this.machine = machine;
        this.mmu = mmu;
        this.layout = machine.layout();
        this.pageTable = pageTable;
        this.pageAddressTable = pageAddressTable;
        this.scheduler = scheduler;
        this.tracer = machine.tracer();
        this.kmapLock = spinlocks.newSpinlock("kmap_lock");
        this.pkmapCount = new int[layout.lastPkmap()];
        this.colours = config.colours();
        this.lastPkmapNr = new int[colours];
        this.pkmapMapWait = new WaitQueueHead[colours];
        this.slotWait = new WaitStrategy[colours];
        for (int c = 0; c < colours; c++) {
            pkmapMapWait[c] = new WaitQueueHead(spinlocks.newSpinlock("pkmap_map_wait[" + c + "].lock"),
                    scheduler, config.has(Fault.WAKE_ONE));
            slotWait[c] = WaitStrategies.create(config.waitStrategy(), machine, scheduler, pkmapMapWait[c]);
        }
        this.kmapHighGetAvailable = config.profile().kmapHighGet();
        this.irqOffLock = kmapHighGetAvailable || config.has(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH);
        this.unlockedAddressLookup = config.has(Fault.UNLOCKED_ADDRESS_LOOKUP);
        this.noTlbFlush = config.has(Fault.NO_TLB_FLUSH);
        this.unmapToZero = config.has(Fault.UNMAP_TO_ZERO);
        this.noRecheckAfterSleep = config.has(Fault.NO_RECHECK_AFTER_SLEEP);
        this.wakeupTestAfterUnlock = config.has(Fault.WAKEUP_TEST_AFTER_UNLOCK);
        this.stateAfterUnlock = config.has(Fault.STATE_AFTER_UNLOCK);
        this.countOutsideLock = config.has(Fault.COUNT_OUTSIDE_LOCK);
        this.flushWithoutLock = config.has(Fault.FLUSH_WITHOUT_LOCK);
        this.noFlushCacheKmaps = config.has(Fault.NO_FLUSH_CACHE_KMAPS);
    }

    // ------------------------------------------------------------ lock_kmap and friends

    /**
     * Models {@code lock_kmap()}: {@code spin_lock_irq} where ARCH_NEEDS_KMAP_HIGH_GET (and with
     * fault IRQ_OFF_SPIN_WITH_IPI_FLUSH), {@code spin_lock} otherwise.
     */
    public void lockKmap(Cpu cpu) {
        if (irqOffLock) {
            kmapLock.spinLockIrq(cpu);
        } else {
            kmapLock.spinLock(cpu);
        }
    }

    /** Models {@code unlock_kmap()}. */
    public void unlockKmap(Cpu cpu) {
        if (irqOffLock) {
            kmapLock.spinUnlockIrq(cpu);
        } else {
            kmapLock.spinUnlock(cpu);
        }
    }

    /** Models {@code lock_kmap_any(flags)}: the irqsave variant where IRQs are involved. */
    public boolean lockKmapAny(Cpu cpu) {
        if (irqOffLock) {
            return kmapLock.spinLockIrqsave(cpu);
        }
        kmapLock.spinLock(cpu);
        return false;
    }

    /** Models {@code unlock_kmap_any(flags)}. */
    public void unlockKmapAny(Cpu cpu, boolean flags) {
        if (irqOffLock) {
            kmapLock.spinUnlockIrqrestore(cpu, flags);
        } else {
            kmapLock.spinUnlock(cpu);
        }
    }

    // ------------------------------------------------------------ colour hooks

    /** Models {@code get_pkmap_color()}: the page's cache colour (its pfn's alias bits). */
    public int getPkmapColor(Page page) {
        return (int) (page.pfn() & (colours - 1));
    }

    /**
     * Models {@code get_next_pkmap_nr()}: advances the colour's round-robin cursor. Without
     * colours this is the kernel's single cursor; with them, xtensa's: each colour steps by the
     * number of colours over its own slots.
     */
    public int getNextPkmapNr(int color) {
        lastPkmapNr[color] = (lastPkmapNr[color] + colours) & layout.lastPkmapMask();
        return lastPkmapNr[color] + color;
    }

    /** Models {@code no_more_pkmaps()}: the colour's scan wrapped to its first slot. */
    public boolean noMorePkmaps(int pkmapNr, int color) {
        return pkmapNr < colours;
    }

    /** Models {@code get_pkmap_entries_count()}: the colour's share of the window. */
    public int getPkmapEntriesCount(int color) {
        return layout.lastPkmap() / colours;
    }

    /** Models {@code get_pkmap_wait_queue_head()}: one queue per colour. */
    public WaitQueueHead getPkmapWaitQueueHead(int color) {
        return pkmapMapWait[color];
    }

    // ------------------------------------------------------------ the kernel functions

    /**
     * Models {@code flush_cache_kmaps()}, which flush_all_zero_pkmaps calls before it unmaps
     * anything, so that no dirty line cached under a PKMAP address outlives the mapping. x86:
     * nothing (physically indexed caches). arm-like: ARM's, {@code flush_cache_all()} since its
     * cache is VIVT ({@link Mmu#flushCacheAll}). aliasing-cache: xtensa's unconditional
     * {@code flush_cache_all()}; there every kernel alias of a page has the page's colour, so a
     * physically tagged VIPT cache shows no alias and the model keeps no cache: the flush is
     * traced where the kernel makes it.
     */
    public void flushCacheKmaps(Cpu cpu) {
        if (colours > 1) {
            trace(cpu, "flush_cache_kmaps: flush_cache_all");
        }
        mmu.flushCacheAll(cpu);
    }

    /**
     * Models {@code flush_all_zero_pkmaps()}. Called with kmap_lock held: every slot whose
     * count is exactly 1 becomes free, its PTE is cleared and its page forgets the address;
     * then one TLB flush over the whole window if anything changed.
     */
    public void flushAllZeroPkmaps(Cpu cpu) {
        boolean needFlush = false;
        cpu.stats().inc(Stat.FLUSH_ALL_ZERO);
        trace(cpu, "flush_all_zero_pkmaps");
        if (!noFlushCacheKmaps) {
            flushCacheKmaps(cpu);
        }
        for (int i = 0; i < pkmapCount.length; i++) {
            // 0 is already free and >1 is still in use: only 1 is free but still mapped.
            if (pkmapCount[i] != 1) {
                continue;
            }
            pkmapCount[i] = 0;
            traceCount(cpu, i, 1);
            long pte = pageTable.get(i);
            if (PageTable.pteNone(pte)) {
                throw machine.reports().bug(cpu, FLUSH_PTE_NONE);
            }
            // No atomic fetch-and-clear needed: nobody can reach this PTE without kmap_lock.
            Page page = machine.pfnToPage(PageTable.ptePfn(pte));
            pageTable.clear(i);
            if (tracer != null) trace(cpu, "pte_clear pkmap_page_table[" + i + "]");
            pageAddressTable.setPageAddress(cpu, page, 0);
            needFlush = true;
        }
        if (needFlush && !noTlbFlush) {
            mmu.flushTlbKernelRange(cpu, layout.pkmapAddr(0), layout.pkmapAddr(layout.lastPkmap()));
        }
    }

    /** Models {@code __kmap_flush_unused()} ({@code kmap_flush_unused()}). */
    public void kmapFlushUnused(Cpu cpu) {
        if (flushWithoutLock) {
            flushAllZeroPkmaps(cpu);
            return;
        }
        lockKmap(cpu);
        flushAllZeroPkmaps(cpu);
        unlockKmap(cpu);
    }

    /**
     * Models {@code map_new_virtual()}. Called with kmap_lock held; returns with it held, the
     * page mapped at the returned address with count 1 (or, after a sleep, at the address
     * another CPU mapped it at meanwhile).
     */
    long mapNewVirtual(Cpu cpu, Page page) {
        int color = getPkmapColor(page);
        start:
        for (;;) {
            int count = getPkmapEntriesCount(color);
            int nr;
            // Find an empty entry.
            for (;;) {
                nr = getNextPkmapNr(color);
                if (noMorePkmaps(nr, color)) {
                    flushAllZeroPkmaps(cpu);
                    count = getPkmapEntriesCount(color);
                }
                if (pkmapCount[nr] == 0) {
                    break;
                }
                if (--count != 0) {
                    continue;
                }
                sleepForFreeSlot(cpu, color);
                // Somebody else might have mapped the page while we slept.
                if (!noRecheckAfterSleep) {
                    long vaddr = pageAddressTable.pageAddress(cpu, page);
                    if (vaddr != 0) {
                        return vaddr;
                    }
                }
                continue start;
            }
            long vaddr = layout.pkmapAddr(nr);
            pageTable.set(nr, PageTable.mkPte(page));
            if (tracer != null) trace(cpu, "set_pte_at pkmap_page_table[" + nr + "] " + page.name());
            pkmapCount[nr] = 1;
            traceCount(cpu, nr, 0);
            pageAddressTable.setPageAddress(cpu, page, vaddr);
            if (tracer != null) trace(cpu, String.format("map_new_virtual %s -> 0x%08x", page.name(), vaddr));
            return vaddr;
        }
    }

    /**
     * The sleep of map_new_virtual when no slot of the colour is free: declare a wait-queue
     * entry, become TASK_UNINTERRUPTIBLE and enqueue under kmap_lock, drop the lock, schedule,
     * dequeue, retake the lock. A sleep past the hung-task timeout is reported and goes on; if
     * the harness stops the machine meanwhile, the entry is dequeued before the stop unwinds.
     */
    private void sleepForFreeSlot(Cpu cpu, int color) {
        Task current = cpu.current();
        WaitQueueEntry wait = current.waitEntry();
        WaitQueueHead pkmapMapWait = getPkmapWaitQueueHead(color);
        cpu.stats().inc(Stat.SLEEP);
        if (stateAfterUnlock) {
            unlockKmap(cpu);
            scheduler.setCurrentState(cpu, Task.TASK_UNINTERRUPTIBLE);
            pkmapMapWait.addWaitQueue(cpu, wait);
        } else {
            scheduler.setCurrentState(cpu, Task.TASK_UNINTERRUPTIBLE);
            pkmapMapWait.addWaitQueue(cpu, wait);
            unlockKmap(cpu);
        }
        try {
            slotWait[color].sleep(cpu);
        } catch (RuntimeException stopped) {
            // The sleep ends early only when the machine is stopped: leave no entry queued
            // that no task waits behind any more.
            pkmapMapWait.removeWaitQueue(cpu, wait);
            throw stopped;
        }
        pkmapMapWait.removeWaitQueue(cpu, wait);
        lockKmap(cpu);
    }

    /**
     * Models {@code kmap_high()}: maps a highmem page into the PKMAP window and returns its
     * address. May sleep; never call it from interrupts.
     */
    public long kmapHigh(Cpu cpu, Page page) {
        long vaddr;
        cpu.stats().inc(Stat.KMAP);
        // The bucket's list head and lock, read before lock_kmap (see PageAddressTable).
        PageAddressTable.PageAddressSlot pas = pageAddressTable.pageSlot(page);
        PageAddressTable.PageAddressMap lh = pas.lh;
        Spinlock bucketLock = pas.lock;
        // A highmem page's address can only be trusted once kmap_lock is held.
        if (unlockedAddressLookup) {
            vaddr = pageAddressTable.pageAddress(cpu, page, lh, bucketLock);
            lockKmap(cpu);
        } else {
            lockKmap(cpu);
            vaddr = pageAddressTable.pageAddress(cpu, page, lh, bucketLock);
        }
        if (vaddr == 0) {
            cpu.stats().inc(Stat.KMAP_MISS);
            vaddr = mapNewVirtual(cpu, page);
        } else {
            cpu.stats().inc(Stat.KMAP_HIT);
        }
        int nr = layout.pkmapNr(vaddr);
        if (countOutsideLock) {
            unlockKmap(cpu);
            pkmapCount[nr]++;
            traceCount(cpu, nr, pkmapCount[nr] - 1);
            checkKmapHighCount(cpu, nr);
            return vaddr;
        }
        pkmapCount[nr]++;
        traceCount(cpu, nr, pkmapCount[nr] - 1);
        checkKmapHighCount(cpu, nr);
        unlockKmap(cpu);
        return vaddr;
    }

    private void trace(Cpu cpu, String text) {
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, text);
    }

    private void traceCount(Cpu cpu, int nr, int before) {
        if (tracer != null) trace(cpu, "pkmap_count[" + nr + "] " + before + " -> " + pkmapCount[nr]);
    }

    private void traceWaitqueueActive(Cpu cpu, int color, boolean active) {
        if (tracer != null) {
            trace(cpu, "waitqueue_active pkmap_map_wait[" + color + "] -> " + (active ? 1 : 0));
        }
    }

    private void checkKmapHighCount(Cpu cpu, int nr) {
        if (pkmapCount[nr] < 2) {
            throw machine.reports().bug(cpu, KMAP_HIGH_BUG);
        }
    }

    /**
     * Models {@code kmap_high_get()} (ARCH_NEEDS_KMAP_HIGH_GET only): pins an existing mapping
     * from any context and returns its address, or 0 if the page is not mapped. A non-zero
     * result must be released with {@link #kunmapHigh}.
     *
     * @throws UnsupportedOperationException on profiles without kmap_high_get
     */
    public long kmapHighGet(Cpu cpu, Page page) {
        if (!kmapHighGetAvailable) {
            throw new UnsupportedOperationException("kmap_high_get exists only on profiles with"
                    + " ARCH_NEEDS_KMAP_HIGH_GET (arm-like); this machine is "
                    + machine.config().profile().id());
        }
        boolean flags = lockKmapAny(cpu);
        long vaddr = pageAddressTable.pageAddress(cpu, page);
        if (vaddr != 0) {
            int nr = layout.pkmapNr(vaddr);
            if (pkmapCount[nr] < 1) {
                throw machine.reports().bug(cpu, KMAP_HIGH_GET_BUG);
            }
            pkmapCount[nr]++;
            traceCount(cpu, nr, pkmapCount[nr] - 1);
            cpu.stats().inc(Stat.KMAP_HIGH_GET);
        }
        unlockKmapAny(cpu, flags);
        return vaddr;
    }

    /**
     * Models {@code kunmap_high()}: drops one use of the page's slot, and wakes the waiters
     * for a slot of its colour if the slot became unused.
     */
    public void kunmapHigh(Cpu cpu, Page page) {
        int color = getPkmapColor(page);
        WaitQueueHead pkmapMapWait = null;
        boolean needWakeup = false;
        cpu.stats().inc(Stat.KUNMAP);
        // The bucket's list head and lock, read before lock_kmap_any (see kmapHigh).
        PageAddressTable.PageAddressSlot pas = pageAddressTable.pageSlot(page);
        PageAddressTable.PageAddressMap lh = pas.lh;
        Spinlock bucketLock = pas.lock;

        boolean flags = lockKmapAny(cpu);
        long vaddr = pageAddressTable.pageAddress(cpu, page, lh, bucketLock);
        if (vaddr == 0) {
            throw machine.reports().bug(cpu, KUNMAP_HIGH_NO_VADDR);
        }
        int nr = layout.pkmapNr(vaddr);
        // A count must never go down to zero without a TLB flush!
        int count = --pkmapCount[nr];
        traceCount(cpu, nr, count + 1);
        if (count == 0) {
            throw machine.reports().bug(cpu, KUNMAP_HIGH_ZERO);
        }
        if (count == 1) {
            if (unmapToZero) {
                pkmapCount[nr] = 0;
                traceCount(cpu, nr, 1);
            }
            // Waiters enqueue under kmap_lock, which we hold: the queue's own lock is not
            // needed to test it.
            pkmapMapWait = getPkmapWaitQueueHead(color);
            if (!wakeupTestAfterUnlock) {
                needWakeup = pkmapMapWait.waitqueueActive();
                traceWaitqueueActive(cpu, color, needWakeup);
            }
        }
        unlockKmapAny(cpu, flags);

        if (wakeupTestAfterUnlock && pkmapMapWait != null) {
            needWakeup = pkmapMapWait.waitqueueActive();
            traceWaitqueueActive(cpu, color, needWakeup);
        }
        // The wake-up is race-free outside the spinlock.
        if (needWakeup) {
            slotWait[color].wakeUp(cpu);
        }
    }

    // ------------------------------------------------------------ inspection

    /** pkmap_count[nr], read without kmap_lock: exact only when the machine is quiet. */
    public int pkmapCount(int nr) {
        return pkmapCount[nr];
    }

    /** The kmap_lock of this machine. */
    public Spinlock kmapLock() {
        return kmapLock;
    }

    /** The number of colours (1 without cache aliasing). */
    public int colours() {
        return colours;
    }
}
