package dev.kmapstress.mm;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.KmapCtrl;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import dev.kmapstress.sched.KmapLocalHooks;

/**
 * Short-lived mappings of mm/highmem.c (v5.11+): {@code kmap_local_page}, {@code kmap_atomic}
 * and their unmaps, through per-CPU fixmap slots and without any global lock. One Java method
 * per kernel function, in the kernel's order of preempt/migrate disabling, PTE writes and TLB
 * hooks.
 *
 * <pre>{@code
 * KmapLocal kl = machine.kmapLocal();
 * long a = kl.kmapLocalPage(cpu, p0);       // CPU 0 of x86-pae: 0xfffbb000
 * long b = kl.kmapLocalPage(cpu, p1);       // nested: 0xfffba000
 * machine.mmu().write(cpu, b, 0, 42);
 * kl.kunmapLocal(cpu, b);                   // LIFO: the last mapping first
 * kl.kunmapLocal(cpu, a);
 * }</pre>
 *
 * <p>Algorithmic notes. The stack lives in the <em>task</em> ({@code current->kmap_ctrl}),
 * the slots in the CPU: stack index {@code i} of a task on CPU {@code c} is fixmap entry
 * {@code FIX_KMAP_BEGIN + i + KM_MAX_IDX*c}, at {@code FIXADDR_TOP - entry*PAGE_SIZE}. A map
 * pushes (BUG beyond KM_MAX_IDX), sets the slot's PTE (BUG if it was not empty) and saves the
 * PTE value in the task; an unmap clears the top slot, flushes it from the local TLB (x86:
 * {@code flush_tlb_one_kernel}, no IPI: no other CPU ever uses this CPU's slots) and pops.
 * The mapping disables migration, not preemption: the task can be switched out, and the
 * {@link dev.kmapstress.sched.Scheduler#contextSwitch context switch} clears its live PTEs and
 * restores them from the saved values when it runs again. An interrupt pushes onto the stack
 * of the task it interrupts and pops before it returns, so the task finds its stack as it left
 * it. With DEBUG_KMAP_LOCAL the index steps by 2 (KM_INCR) through 33 entries: the even
 * entries are never mapped and act as guard pages.
 *
 * <p>Hooks per profile: x86 profiles (and aliasing-cache, on the x86-pae layout) flush the page
 * from the local TLB after unmapping; arm-like also after mapping, writes the slot's lines back
 * from its VIVT data cache before unmapping, finds a slot's PTE from its address
 * (KMAP_LOCAL_NON_LINEAR_PTE_ARRAY), and tries {@code kmap_high_get} first. The
 * colours of aliasing-cache apply to the PKMAP window only: xtensa's coloured fixmap index
 * ({@code arch_kmap_local_map_idx}) is not modelled.
 *
 * <p>Every method runs on the thread running {@code cpu} and touches only that CPU's slots and
 * its current task (fault {@link Fault#SHARED_LOCAL_INDEX} breaks exactly that). The map and
 * unmap round trip allocates nothing.
 */
public final class KmapLocal implements KmapLocalHooks {

    // The push and pop helpers are inlined in the kernel: reports name their callers.
    static final Site PUSH_HARDIRQ_IRQS_ON = new Site("mm/highmem.c", 465, "__kmap_local_pfn_prot");
    static final Site PUSH_OVERFLOW = new Site("mm/highmem.c", 467, "__kmap_local_pfn_prot");
    static final Site POP_UNDERFLOW = new Site("mm/highmem.c", 479, "kunmap_local_indexed");
    static final Site PTE_NOT_NONE = new Site("mm/highmem.c", 552, "__kmap_local_pfn_prot");
    static final Site UNMAP_FORCE_MAP_OUTSIDE = new Site("mm/highmem.c", 594, "kunmap_local_indexed");
    static final Site UNMAP_USER_ADDRESS = new Site("mm/highmem.c", 604, "kunmap_local_indexed");
    static final Site UNMAP_NOT_TOP = new Site("mm/highmem.c", 610, "kunmap_local_indexed");
    static final Site SCHED_OUT_GUARD = new Site("mm/highmem.c", 647, "__kmap_local_sched_out");
    static final Site SCHED_OUT_NONE = new Site("mm/highmem.c", 650, "__kmap_local_sched_out");
    static final Site SCHED_IN_GUARD = new Site("mm/highmem.c", 684, "__kmap_local_sched_in");
    static final Site SCHED_IN_NONE = new Site("mm/highmem.c", 687, "__kmap_local_sched_in");
    static final Site FORK_NOT_EMPTY = new Site("mm/highmem.c", 701, "kmap_local_fork");
    static final Site ASSERT_NOMAP = new Site("include/linux/highmem-internal.h", 17, "kmap_assert_nomap");

    private final MachineContext machine;
    private final Layout layout;
    private final PageTable pageTable;
    private final Pkmap pkmap;
    private final Mmu mmu;
    private final int kmMaxIdx;
    /** KM_INCR: 2 with DEBUG_KMAP_LOCAL (odd entries mapped, even ones guards), else 1. */
    private final int kmIncr;
    /** log2(KM_INCR): a stack index shifted right by it is a depth in mappings. */
    private final int kmIncrShift;
    private final boolean debug;
    private final boolean forceMap;
    /** ARCH_NEEDS_KMAP_HIGH_GET: arch_kmap_local_high_get() pins an existing PKMAP mapping. */
    private final boolean highGet;
    /**
     * ARM's hooks: a local TLB flush of the page after mapping too, and
     * KMAP_LOCAL_NON_LINEAR_PTE_ARRAY (the PTE is found from the address, not the index).
     */
    private final boolean armHooks;
    private final boolean sharedIndex;
    /** {@code __fix_to_virt(FIX_KMAP_BEGIN)} and {@code __fix_to_virt(FIX_KMAP_END)}. */
    private final long fixKmapBeginAddr;
    private final long fixKmapEndAddr;
    /** The page-table slot of FIX_KMAP_BEGIN; x86's {@code kmap_pte} (its linear PTE array). */
    private final int kmapPteSlot;
    /** One past the last page-table slot the model keeps. */
    private final int slots;
    private final Tracer tracer;

    public KmapLocal(MachineContext machine, PageTable pageTable, Mmu mmu, Pkmap pkmap) {
        MachineConfig config = machine.config();
        this.machine = machine;
        this.layout = machine.layout();
        this.pageTable = pageTable;
        this.pkmap = pkmap;
        this.mmu = mmu;
        this.kmMaxIdx = layout.kmMaxIdx();
        this.debug = config.debugKmapLocal();
        this.kmIncr = debug ? 2 : 1;
        this.kmIncrShift = debug ? 1 : 0;
        this.forceMap = config.forceMap();
        this.highGet = config.profile().kmapHighGet();
        this.armHooks = config.profile() == Profile.ARM_LIKE;
        this.sharedIndex = config.has(Fault.SHARED_LOCAL_INDEX);
        this.fixKmapBeginAddr = layout.fixToVirt(layout.fixKmapBegin());
        this.fixKmapEndAddr = layout.fixToVirt(layout.fixKmapEnd());
        this.kmapPteSlot = pageTable.fixmapSlot(layout.fixKmapBegin());
        this.slots = pageTable.slots();
        this.tracer = machine.tracer();
    }

    // ------------------------------------------------------------ stack and slots

    /**
     * Models {@code kmap_local_calc_idx()} ({@code arch_kmap_local_map_idx} on every modelled
     * architecture): the CPU's fixmap offset of stack index {@code idx}. Fault
     * {@link Fault#SHARED_LOCAL_INDEX} leaves out the per-CPU part.
     */
    public int kmapLocalCalcIdx(Cpu cpu, int idx) {
        return sharedIndex ? idx : idx + kmMaxIdx * cpu.id();
    }

    /**
     * Models {@code kmap_local_idx_push()}: WARN if called in hard-IRQ context with IRQs
     * enabled; BUG if the stack overflows KM_MAX_IDX. Returns the new top index.
     */
    private int kmapLocalIdxPush(Cpu cpu, KmapCtrl k) {
        if (cpu.inHardirq() && !cpu.irqsDisabled()) {
            machine.reports().warnOnce(cpu, PUSH_HARDIRQ_IRQS_ON);
        }
        int idx = k.idx() + kmIncr;
        k.setIdx(idx);
        if (idx >= kmMaxIdx) {
            throw machine.reports().bug(cpu, PUSH_OVERFLOW);
        }
        return idx - 1;
    }

    /** Models {@code kmap_local_idx()}: the current top index, -1 on an empty stack. */
    public int kmapLocalIdx(Cpu cpu) {
        return cpu.current().kmapCtrl().idx() - 1;
    }

    /** Models {@code kmap_local_idx_pop()}: BUG if the stack underflows. */
    private void kmapLocalIdxPop(Cpu cpu, KmapCtrl k) {
        int idx = k.idx() - kmIncr;
        k.setIdx(idx);
        if (idx < 0) {
            throw machine.reports().bug(cpu, POP_UNDERFLOW);
        }
    }

    /** {@code __fix_to_virt(FIX_KMAP_BEGIN + idx)}. */
    private long kmapLocalAddr(int idx) {
        return fixKmapBeginAddr - ((long) idx << Profile.PAGE_SHIFT);
    }

    /**
     * Models {@code kmap_get_pte()}: the page-table slot of fixmap offset {@code idx} at
     * {@code vaddr}, or -1 where the model keeps no PTE (entries outside the machine's CPUs'
     * FIX_KMAP slots). x86 indexes a linear PTE array by {@code idx}; ARM
     * (KMAP_LOCAL_NON_LINEAR_PTE_ARRAY) looks the address up. The two differ only for an
     * out-of-order unmap, where x86 clears the top slot and ARM the named one.
     */
    private int kmapGetPte(long vaddr, int idx) {
        if (armHooks) {
            return pageTable.index(vaddr);
        }
        int slot = kmapPteSlot + idx;
        return slot >= kmapPteSlot && slot < slots ? slot : -1;
    }

    /**
     * Reads the PTE of a FIX_KMAP slot the map and unmap use: only the CPU owning the slot
     * touches it, so plainly ({@link PageTable#getLocal}); with fault
     * {@link Fault#SHARED_LOCAL_INDEX} CPUs share slots, a real race, so as page walks do.
     */
    private long fixmapPte(int slot) {
        return sharedIndex ? pageTable.get(slot) : pageTable.getLocal(slot);
    }

    /** Writes the PTE of a FIX_KMAP slot (0: clears it), as {@link #fixmapPte} reads it. */
    private void setFixmapPte(int slot, long pte) {
        if (sharedIndex) {
            pageTable.set(slot, pte);
        } else {
            pageTable.setLocal(slot, pte);
        }
    }

    // ------------------------------------------------------------ architecture hooks

    /**
     * Models {@code arch_kmap_local_post_map()}: nothing on x86 (a paravirt lazy-MMU flush);
     * on ARM a local TLB flush of the page.
     */
    public void archKmapLocalPostMap(Cpu cpu, long vaddr, long pteval) {
        if (armHooks) {
            mmu.flushTlbOneKernel(cpu, vaddr);
        }
    }

    /**
     * Models {@code arch_kmap_local_pre_unmap()}: nothing on x86; on ARM, with its VIVT data
     * cache, the page's lines written back and invalidated ({@code __cpuc_flush_dcache_area}),
     * before the PTE is cleared, so nothing written through the slot outlives the mapping.
     */
    public void archKmapLocalPreUnmap(Cpu cpu, long vaddr) {
        if (armHooks) {
            mmu.flushDcacheArea(cpu, vaddr);
        }
    }

    /**
     * Models {@code arch_kmap_local_post_unmap()}: on x86 and ARM alike, a flush of that one
     * page from the local CPU's TLB, no IPI (no other CPU uses this CPU's slots). {@code slot}
     * must be {@code vaddr}'s page-table slot ({@link PageTable#index}, -1 for none): the slot
     * whose PTE the caller just cleared when that is {@code vaddr}'s (a LIFO unmap, sched_out,
     * any ARM unmap), else looked up (x86 unmapping out of LIFO order cleared the top's slot).
     */
    public void archKmapLocalPostUnmap(Cpu cpu, long vaddr, int slot) {
        mmu.flushTlbOneKernel(cpu, vaddr, slot);
    }

    // ------------------------------------------------------------ map and unmap

    /**
     * Models {@code __kmap_local_pfn_prot()}: maps page frame {@code pfn} with protection bits
     * {@code prot} into the next slot of the current task's stack on this CPU and returns its
     * address. Leaves migration disabled until the matching unmap.
     */
    public long kmapLocalPfnProt(Cpu cpu, long pfn, long prot) {
        // Disable migration so the address stays valid across preemption.
        cpu.migrateDisable();
        cpu.preemptDisable();
        KmapCtrl k = cpu.current().kmapCtrl();
        int top = kmapLocalIdxPush(cpu, k);
        int idx = kmapLocalCalcIdx(cpu, top);
        long vaddr = kmapLocalAddr(idx);
        int slot = kmapGetPte(vaddr, idx);
        if (!PageTable.pteNone(fixmapPte(slot))) {
            throw machine.reports().bug(cpu, PTE_NOT_NONE);
        }
        long pteval = (pfn << Profile.PAGE_SHIFT) | prot;
        setFixmapPte(slot, pteval);
        if (tracer != null) trace(cpu, "kmap_local push idx " + top + ": ", vaddr, pteval);
        archKmapLocalPostMap(cpu, vaddr, pteval);
        k.setPteval(k.idx() - 1, pteval);
        cpu.preemptEnable();
        countMap(cpu, top);
        return vaddr;
    }

    private void countMap(Cpu cpu, int top) {
        cpu.stats().inc(Stat.KMAP_LOCAL);
        cpu.stats().recordMax(Stat.KMAP_LOCAL_MAX_DEPTH, (top + 1) >> kmIncrShift);
        if (cpu.inInterrupt()) {
            cpu.stats().inc(Stat.KMAP_LOCAL_IRQ);
        }
    }

    /**
     * Models {@code __kmap_local_page_prot()}: a lowmem page's direct address (unless
     * DEBUG_KMAP_LOCAL_FORCE_MAP); where the architecture has {@code kmap_high_get}, the
     * page's existing PKMAP address, pinned; else a fixmap slot via {@link #kmapLocalPfnProt}.
     */
    public long kmapLocalPageProt(Cpu cpu, Page page, long prot) {
        // Debug kernels map lowmem too, so misuse of its mappings is caught the same way.
        // The kernel tests FORCE_MAP first, a build option its compiler folds away; here it is
        // a field, so PageHighMem goes first (both are side-effect free) and a highmem page,
        // the case kmap_local exists for, costs one test, not two.
        if (!page.isHighMem() && !forceMap) {
            return layout.lowmemPageAddress(page.pfn());
        }
        if (highGet) {
            long kmap = pkmap.kmapHighGet(cpu, page);
            if (kmap != 0) {
                return kmap;
            }
        }
        return kmapLocalPfnProt(cpu, page.pfn(), prot);
    }

    /** Models {@code kmap_local_page()}: {@link #kmapLocalPageProt} with PAGE_KERNEL. */
    public long kmapLocalPage(Cpu cpu, Page page) {
        return kmapLocalPageProt(cpu, page, PageTable.PAGE_KERNEL);
    }

    /**
     * Models {@code kmap_high_unmap_local()}: releases a {@code kmap_high_get} pin if
     * {@code vaddr} is in the PKMAP window (ARCH_NEEDS_KMAP_HIGH_GET only).
     */
    private boolean kmapHighUnmapLocal(Cpu cpu, long vaddr) {
        if (highGet && layout.inPkmapWindow(vaddr)) {
            long pte = pageTable.get(layout.pkmapNr(vaddr));
            pkmap.kunmapHigh(cpu, machine.pfnToPage(PageTable.ptePfn(pte)));
            return true;
        }
        return false;
    }

    /**
     * Models {@code kunmap_local_indexed()}. Outside the FIX_KMAP range: a kmap_high_get pin is
     * released, a lowmem address needs nothing, anything below PAGE_OFFSET is a WARNING (and
     * with FORCE_MAP every such address is). Inside: WARN unless {@code vaddr} is the top of
     * the stack (the LIFO rule; x86 then clears the top slot anyway, ARM the named one), clear
     * the PTE, flush it locally, forget the saved value, pop, and re-enable migration.
     */
    public void kunmapLocalIndexed(Cpu cpu, long vaddr) {
        long addr = vaddr & Profile.PAGE_MASK;
        if (addr < fixKmapEndAddr || addr > fixKmapBeginAddr) {
            if (forceMap) {
                // Every FORCE_MAP mapping is in the fixmap: this cannot be one of ours.
                machine.reports().warnOnce(cpu, UNMAP_FORCE_MAP_OUTSIDE);
                return;
            }
            if (!kmapHighUnmapLocal(cpu, addr) && addr < layout.pageOffset()) {
                machine.reports().warnOnce(cpu, UNMAP_USER_ADDRESS);
            }
            return;
        }
        cpu.preemptDisable();
        KmapCtrl k = cpu.current().kmapCtrl();
        int top = k.idx() - 1;
        int idx = kmapLocalCalcIdx(cpu, top);
        long topAddr = kmapLocalAddr(idx);
        if (addr != topAddr) {
            machine.reports().warnOnce(cpu, UNMAP_NOT_TOP);
        }
        int slot = kmapGetPte(addr, idx);
        archKmapLocalPreUnmap(cpu, addr);
        if (slot >= 0) {
            setFixmapPte(slot, 0L);
        }
        if (tracer != null) trace(cpu, "kmap_local pop idx " + top + ": ", addr, 0);
        // The flush names addr. For the top's address that is the slot just cleared (-1 where
        // the table keeps none); out of LIFO order x86 cleared the top's slot, so addr's own
        // slot is looked up. The test is the warning's, which the JIT then folds away.
        archKmapLocalPostUnmap(cpu, addr, addr != topAddr ? pageTable.index(addr) : slot);
        // An empty stack's top is -1: the kernel's store lands before the array; BUG follows.
        if (top >= 0) {
            k.setPteval(top, 0L);
            cpu.stats().inc(Stat.KUNMAP_LOCAL);
        }
        kmapLocalIdxPop(cpu, k);
        cpu.preemptEnable();
        cpu.migrateEnable();
    }

    /** Models {@code kunmap_local()}: {@link #kunmapLocalIndexed}. */
    public void kunmapLocal(Cpu cpu, long vaddr) {
        kunmapLocalIndexed(cpu, vaddr);
    }

    /**
     * Models {@code kmap_atomic()}: preempt_disable (migrate_disable on PREEMPT_RT, which no
     * modelled profile is), pagefault_disable, then {@link #kmapLocalPage}. The caller is
     * atomic until {@link #kunmapAtomic}: it must not sleep, and is never preempted.
     */
    public long kmapAtomic(Cpu cpu, Page page) {
        cpu.preemptDisable();
        cpu.pagefaultDisable();
        return kmapLocalPageProt(cpu, page, PageTable.PAGE_KERNEL);
    }

    /** Models {@code kunmap_atomic()}: {@link #kmapAtomic}'s steps undone in reverse order. */
    public void kunmapAtomic(Cpu cpu, long vaddr) {
        kunmapLocalIndexed(cpu, vaddr);
        cpu.pagefaultEnable();
        cpu.preemptEnable();
    }

    /** Models {@code kmap_local_pfn()}: {@link #kmapLocalPfnProt} with kmap_prot (PAGE_KERNEL). */
    public long kmapLocalPfn(Cpu cpu, long pfn) {
        return kmapLocalPfnProt(cpu, pfn, PageTable.PAGE_KERNEL);
    }

    /**
     * Models {@code kmap_local_folio()}: maps the page of {@code folio} that holds byte
     * {@code offset} ({@code folio_page}: a folio's pages have consecutive pfns) and returns
     * the address of that byte, {@code __kmap_local_page_prot(page) + offset % PAGE_SIZE}.
     * Unmap with {@link #kunmapLocal}, which rounds the address down to its page.
     */
    public long kmapLocalFolio(Cpu cpu, Page folio, long offset) {
        Page page = machine.pfnToPage(folio.pfn() + offset / Profile.PAGE_SIZE);
        if (offset < 0 || page == null) {
            throw new IllegalArgumentException("offset " + offset + " of " + folio + " is outside the machine's pages");
        }
        return kmapLocalPageProt(cpu, page, PageTable.PAGE_KERNEL) + offset % Profile.PAGE_SIZE;
    }

    /**
     * Models {@code kmap_atomic_prot()}: preempt_disable (migrate_disable on PREEMPT_RT, which
     * no modelled profile is), pagefault_disable, then {@link #kmapLocalPageProt} with
     * {@code prot}. Undone by {@link #kunmapAtomic}.
     */
    public long kmapAtomicProt(Cpu cpu, Page page, long prot) {
        cpu.preemptDisable();
        cpu.pagefaultDisable();
        return kmapLocalPageProt(cpu, page, prot);
    }

    /**
     * Models {@code kmap_atomic_pfn()}: as {@link #kmapAtomicProt}, for a page frame, through
     * {@link #kmapLocalPfnProt} with kmap_prot. Undone by {@link #kunmapAtomic}.
     */
    public long kmapAtomicPfn(Cpu cpu, long pfn) {
        cpu.preemptDisable();
        cpu.pagefaultDisable();
        return kmapLocalPfnProt(cpu, pfn, PageTable.PAGE_KERNEL);
    }

    /**
     * Models {@code kmap_assert_nomap()}: with DEBUG_KMAP_LOCAL, {@code DEBUG_LOCKS_WARN_ON}
     * if the current task still holds kmap_local mappings (the kernel asks on the way back to
     * user mode); without it, nothing.
     */
    public void kmapAssertNomap(Cpu cpu) {
        if (debug && cpu.current().kmapCtrl().idx() != 0) {
            machine.reports().warnOnce(cpu, ASSERT_NOMAP, "DEBUG_LOCKS_WARN_ON(current->kmap_ctrl.idx)");
        }
    }

    // ------------------------------------------------------------ context switch and fork

    /**
     * Models {@code __kmap_local_sched_out()} (called before the switch, for the outgoing
     * current task): clears every live kmap_local PTE of the task and flushes it from the local
     * TLB. The task's index and saved values stay, so an interrupt meanwhile uses the next free
     * index and a later {@link #kmapLocalSchedIn} restores them. With DEBUG_KMAP_LOCAL, a saved
     * value in a guard entry is a WARNING; so is an empty one in a used entry.
     */
    @Override
    public void kmapLocalSchedOut(Cpu cpu) {
        switchLiveEntries(cpu, false);
    }

    /**
     * Models {@code __kmap_local_sched_in()} (called after the switch, for the incoming current
     * task): sets every PTE the task had live again from its saved values, with the same checks
     * as {@link #kmapLocalSchedOut}.
     */
    @Override
    public void kmapLocalSchedIn(Cpu cpu) {
        switchLiveEntries(cpu, true);
    }

    /**
     * The loop the two sched hooks share over the current task's stack: guard entries (even
     * ones, with DEBUG_KMAP_LOCAL) are skipped and must be empty, used entries must not be;
     * each live entry's slot is cleared ({@code restore} false) or set from the saved value.
     */
    private void switchLiveEntries(Cpu cpu, boolean restore) {
        KmapCtrl k = cpu.current().kmapCtrl();
        for (int i = 0; i < k.idx(); i++) {
            long pteval = k.pteval(i);
            if (debug && (i & 1) == 0) {
                if (pteval != 0) {
                    machine.reports().warnOnce(cpu, restore ? SCHED_IN_GUARD : SCHED_OUT_GUARD);
                }
                continue;
            }
            if (PageTable.pteNone(pteval)) {
                machine.reports().warnOnce(cpu, restore ? SCHED_IN_NONE : SCHED_OUT_NONE);
                continue;
            }
            int idx = kmapLocalCalcIdx(cpu, i);
            long addr = kmapLocalAddr(idx);
            int slot = kmapGetPte(addr, idx);
            if (restore) {
                pageTable.set(slot, pteval);
                if (tracer != null) trace(cpu, "kmap_local_sched_in: ", addr, pteval);
                archKmapLocalPostMap(cpu, addr, pteval);
            } else {
                archKmapLocalPreUnmap(cpu, addr);
                pageTable.clear(slot);
                if (tracer != null) trace(cpu, "kmap_local_sched_out: ", addr, 0);
                archKmapLocalPostUnmap(cpu, addr, slot);
            }
        }
    }

    /**
     * Models {@code kmap_local_fork()}: a new task must start with an empty kmap_local stack;
     * if the copy it was made from held mappings, WARN and empty it.
     */
    @Override
    public void kmapLocalFork(Cpu cpu, Task tsk) {
        if (tsk.kmapCtrl().idx() != 0) {
            machine.reports().warnOnce(cpu, FORK_NOT_EMPTY);
            tsk.kmapCtrl().clear();
        }
    }

    /** Traces a fixmap PTE write: {@code 0xfffbb000 -> p3}, or {@code cleared} for pteval 0. */
    private void trace(Cpu cpu, String what, long vaddr, long pteval) {
        Page page = pteval == 0 ? null : machine.pfnToPage(PageTable.ptePfn(pteval));
        String to = pteval == 0 ? "cleared"
                : "-> " + (page == null ? "pfn " + PageTable.ptePfn(pteval) : page.name());
        tracer.trace(cpu, Tracepoint.EVENT, page, String.format("%s0x%08x %s", what, vaddr, to));
    }

    // ------------------------------------------------------------ inspection

    /** The mappings the current task of {@code cpu} holds (stack entries in use / KM_INCR). */
    public int depth(Cpu cpu) {
        return cpu.current().kmapCtrl().idx() >> kmIncrShift;
    }

    /** The deepest stack any CPU reached ({@link Stat#KMAP_LOCAL_MAX_DEPTH} over all CPUs). */
    public long maxDepth() {
        long max = 0;
        for (int i = 0; i < machine.nrCpus(); i++) {
            max = Math.max(max, machine.cpu(i).stats().get(Stat.KMAP_LOCAL_MAX_DEPTH));
        }
        return max;
    }
}
