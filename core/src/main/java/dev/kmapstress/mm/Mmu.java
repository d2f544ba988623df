package dev.kmapstress.mm;

import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.log.Site;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tlb;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Address translation, TLB and data-cache maintenance: every mapped read and write goes through
 * the CPU's TLB, filled from the page table on a miss, so a cleared PTE stays usable by a CPU
 * that cached it until that CPU is flushed; on arm-like it then goes through the VIVT
 * {@link DataCache}, so data written through one alias of a page stays unseen through another
 * until the kernel's flush writes it back. Elsewhere the caches are physically indexed and the
 * page's memory is read and written directly.
 *
 * <p>Shootdowns come in two kinds, by profile. x86: {@code flush_tlb_kernel_range} queues the
 * flush for every other CPU and sends the IPIs, flushes locally, and waits until each has run
 * it (see {@link Cpu}); a CPU spinning with IRQs off never does, and the wait is reported as a
 * hard lockup.
 * Hardware broadcast (arm-like): a machine-wide generation is bumped; every CPU applies it
 * before its next translation, so no access that starts after the flush sees the old entry,
 * and nobody waits.
 */
public final class Mmu {

    private static final VarHandle BROADCAST;

    static {
        try {
            BROADCAST = MethodHandles.lookup().findVarHandle(Mmu.class, "broadcast", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * x86's {@code tlb_single_page_flush_ceiling}: a kernel range of more pages than this is
     * flushed whole.
     */
    public static final int TLB_SINGLE_PAGE_FLUSH_CEILING = 33;
    /** {@code lockdep_assert_irqs_enabled()} in smp_call_function_many_cond(), Linux 6.1.192. */
    static final Site SMP_CALL_IRQS_DISABLED = new Site("kernel/smp.c", 915, "smp_call_function_many_cond");
    /** {@code WARN_ON_ONCE(!in_task())} in smp_call_function_many_cond(), Linux 6.1.192. */
    static final Site SMP_CALL_NOT_IN_TASK = new Site("kernel/smp.c", 923, "smp_call_function_many_cond");

    private final MachineContext machine;
    private final Layout layout;
    private final PageTable pageTable;
    private final boolean hardwareBroadcast;
    private final boolean lockdep;
    private final Tracer tracer;
    /** The VIVT data cache (arm-like), or null where caches are physically indexed. */
    private final DataCache dcache;
    @SuppressWarnings("unused") private long broadcast;

    public Mmu(MachineContext machine, PageTable pageTable) {
        this.machine = machine;
        this.layout = machine.layout();
        this.pageTable = pageTable;
        this.hardwareBroadcast = machine.config().profile().hardwareTlbBroadcast();
        this.lockdep = machine.config().lockdep();
        this.tracer = machine.tracer();
        this.dcache = machine.config().profile().vivtDataCache()
                ? new DataCache(pageTable, layout, machine.config().payloadWords(), tracer) : null;
    }

    /** Reads payload word {@code word} of the page mapped at {@code vaddr}, as {@code cpu}. */
    public int read(Cpu cpu, long vaddr, int word) {
        cpu.irqPoint();
        Page page = translate(cpu, vaddr, false);
        cpu.stats().inc(Stat.ACCESS);
        int w = checkWord(page, word);
        return dcache == null ? page.payload()[w] : dcache.read(vaddr, page, w);
    }

    /** Writes payload word {@code word} of the page mapped at {@code vaddr}, as {@code cpu}. */
    public void write(Cpu cpu, long vaddr, int word, int value) {
        cpu.irqPoint();
        Page page = translate(cpu, vaddr, true);
        cpu.stats().inc(Stat.ACCESS);
        int w = checkWord(page, word);
        if (dcache == null) {
            page.payload()[w] = value;
        } else {
            dcache.write(vaddr, page, w, value);
        }
    }

    /**
     * Word {@code word} of {@code page}'s memory as checks see it, through no mapping: the RAM
     * itself, or on arm-like what it would hold once the data cache were written back.
     */
    public int peek(Page page, int word) {
        return dcache == null ? page.peek(word) : dcache.writtenBack(page, checkWord(page, word));
    }

    /**
     * Models ARM's {@code flush_cache_all()} where the data cache is VIVT ({@code
     * cache_is_vivt()}): every dirty line written back to its page and invalidated; nothing
     * elsewhere.
     */
    public void flushCacheAll(Cpu cpu) {
        if (dcache != null) {
            if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, "flush_cache_all");
            dcache.flushCacheAll(cpu);
        }
    }

    /**
     * Models ARM's {@code __cpuc_flush_dcache_area(vaddr, PAGE_SIZE)} where the data cache is
     * VIVT: the page at {@code vaddr} written back and invalidated; nothing elsewhere.
     */
    public void flushDcacheArea(Cpu cpu, long vaddr) {
        if (dcache != null) {
            if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null,
                    String.format("__cpuc_flush_dcache_area 0x%08x", vaddr));
            dcache.flushDcacheArea(cpu, vaddr);
        }
    }

    /**
     * The page {@code vaddr} translates to on {@code cpu}: the lowmem direct map, or the CPU's
     * TLB, filled from the page table on a miss.
     *
     * @throws Oops the page-fault report if nothing maps the address
     */
    public Page translate(Cpu cpu, long vaddr, boolean write) {
        if (layout.inLowmemMap(vaddr)) {
            return machine.lowPage((int) layout.virtToPfn(vaddr));
        }
        int slot = pageTable.index(vaddr);
        if (slot < 0) {
            throw pageFault(cpu, vaddr, write);
        }
        if (hardwareBroadcast) {
            cpu.syncTlbBroadcast((long) BROADCAST.getVolatile(this));
        }
        long pte = cpu.tlb().lookup(slot);
        boolean hit = !PageTable.pteNone(pte);
        if (!hit) {
            pte = pageTable.get(slot);
            if (PageTable.pteNone(pte)) {
                throw pageFault(cpu, vaddr, write);
            }
            cpu.tlb().fill(slot, pte);
            cpu.stats().inc(Stat.TLB_MISS);
        }
        Page page = machine.pfnToPage(PageTable.ptePfn(pte));
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, page, String.format("%s 0x%08x -> %s",
                hit ? "TLB hit" : "TLB miss, page walk:", vaddr, page.name()));
        return page;
    }

    /**
     * Models {@code flush_tlb_kernel_range()} (arch/x86/mm/tlb.c): after it returns, no CPU
     * translates an address in [start, end) through an entry cached before the call. On x86, a
     * range of more than {@link #TLB_SINGLE_PAGE_FLUSH_CEILING} pages (any PKMAP window: 512 or
     * 1024) flushes every CPU's whole TLB, {@code on_each_cpu(do_flush_tlb_all)}; a smaller one
     * flushes page by page on every CPU, {@code on_each_cpu(do_kernel_range_flush)}, with
     * preemption off around it. With hardware broadcast (arm-like) nobody waits: a machine-wide
     * generation is bumped that every CPU applies before its next translation.
     */
    public void flushTlbKernelRange(Cpu cpu, long start, long end) {
        cpu.stats().inc(Stat.TLB_FLUSH);
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null,
                String.format("flush_tlb_kernel_range 0x%08x-0x%08x", start, end));
        if (hardwareBroadcast) {
            BROADCAST.getAndAdd(this, 1L);
            cpu.tlb().flushRange(pageTable.index(start), pageTable.index(end - 1) + 1);
            return;
        }
        if (end - start > (long) TLB_SINGLE_PAGE_FLUSH_CEILING << Profile.PAGE_SHIFT) {
            onEachCpu(cpu, Tlb.FLUSH_ALL);
        } else {
            cpu.preemptDisable();
            onEachCpu(cpu, Tlb.rangeCall(start, end));
            cpu.preemptEnable();
        }
    }

    /** Models {@code flush_tlb_all()}: {@code on_each_cpu(do_flush_tlb_all)}. */
    public void flushTlbAll(Cpu cpu) {
        cpu.stats().inc(Stat.TLB_FLUSH);
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, "flush_tlb_all");
        if (hardwareBroadcast) {
            cpu.tlb().flushAll();
            BROADCAST.getAndAdd(this, 1L);
        } else {
            onEachCpu(cpu, Tlb.FLUSH_ALL);
        }
    }

    /** Models {@code flush_tlb_one_kernel()}: this CPU only, no IPI. */
    public void flushTlbOneKernel(Cpu cpu, long vaddr) {
        flushTlbOneKernel(cpu, vaddr, pageTable.index(vaddr));
    }

    /**
     * Models {@code flush_tlb_one_kernel()} ({@link #flushTlbOneKernel(Cpu, long)}) for a caller
     * that has {@code vaddr}'s page-table slot at hand: {@code slot} must be
     * {@code pageTable.index(vaddr)} (-1: none). Hardware flushes by address (invlpg), the
     * model's TLB by slot; kunmap_local usually has just cleared that slot's PTE and need not
     * work the slot out of the address again on every unmap.
     */
    void flushTlbOneKernel(Cpu cpu, long vaddr, int slot) {
        if (slot >= 0) {
            cpu.tlb().flushOne(slot);
            if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null,
                    String.format("flush_tlb_one_kernel 0x%08x", vaddr));
        }
    }

    /**
     * Models {@code on_each_cpu(func, info, 1)}, that is {@code on_each_cpu_cond_mask()}:
     * preemption off around {@code smp_call_function_many_cond()} for every online CPU, this
     * one included.
     */
    private void onEachCpu(Cpu cpu, long call) {
        cpu.preemptDisable();
        smpCallFunctionManyCond(cpu, call);
        cpu.preemptEnable();
    }

    /**
     * Models {@code smp_call_function_many_cond()} with SCF_WAIT | SCF_RUN_LOCAL, in the
     * kernel's order: queue the call for every other CPU and send the IPIs, run it here with
     * IRQs saved off, then wait for each other CPU to have run it. A CPU that is not running
     * (no thread, asleep in schedule(), blocked with IRQs on) is sent the call like any other;
     * it needs no wait because it runs its queued calls before it touches its TLB again (see
     * {@link Cpu}). A CPU spinning with IRQs off never runs it: the wait becomes a hard lockup.
     *
     * <p>Its checks: {@code lockdep_assert_irqs_enabled()}, a WARN_ON_ONCE only in kernels with
     * CONFIG_PROVE_LOCKING (Debian's 6.1 kernels have it off), so made here only on machines
     * with the lock validator ({@code lockdep=true}); and {@code WARN_ON_ONCE(!in_task())}.
     */
    private void smpCallFunctionManyCond(Cpu cpu, long call) {
        if (lockdep && cpu.irqsDisabled()) {
            machine.reports().warnOnce(cpu, SMP_CALL_IRQS_DISABLED);
        }
        if (!cpu.inTask()) {
            machine.reports().warnOnce(cpu, SMP_CALL_NOT_IN_TASK);
        }
        int n = machine.nrCpus();
        long[] requests = cpu.callFunctionData();
        for (int i = 0; i < n; i++) {
            if (i != cpu.id()) {
                requests[i] = machine.cpu(i).postIpi(call);
                cpu.stats().inc(Stat.IPI_SENT);
                if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, "IPI to CPU#" + i);
            }
        }
        boolean flags = cpu.localIrqSave();
        cpu.tlb().runCall(call);
        cpu.localIrqRestore(flags);
        for (int i = 0; i < n; i++) {
            if (i == cpu.id()) {
                continue;
            }
            Cpu target = machine.cpu(i);
            if (!target.ipiDone(requests[i])) {
                if (tracer != null) tracer.trace(cpu, Tracepoint.IPI_WAIT, target, "wait for CPU#" + i);
                cpu.spinBegin(target.ipiAckWait());
                while (!target.ipiDone(requests[i])) {
                    cpu.cpuRelax();
                }
                cpu.spinEnd();
                if (tracer != null) tracer.trace(cpu, Tracepoint.IPI_DONE, target, "CPU#" + i + " acked");
            }
        }
    }

    /**
     * Reports an access through an unmapped kernel address as x86 does and returns the oops
     * to throw.
     */
    public Oops pageFault(Cpu cpu, long vaddr, boolean write) {
        return new Oops(machine.log().report(ReportKind.PAGE_FAULT, cpu.id(), List.of(
                String.format("BUG: unable to handle page fault for address: %08x", vaddr),
                "#PF: supervisor " + (write ? "write" : "read") + " access in kernel mode",
                String.format("#PF: error_code(0x%04x) - not-present page", write ? 2 : 0),
                String.format("Oops: %04x [#1] PREEMPT SMP", write ? 2 : 0),
                machine.reports().cpuLine(cpu))));
    }

    private static int checkWord(Page page, int word) {
        if (word < 0 || word >= page.words()) {
            throw new IllegalArgumentException("word " + word + " is outside the modelled payload"
                    + " of " + page.words() + " words (0.." + (page.words() - 1) + ")");
        }
        return word;
    }
}
