package dev.kmapstress.mm;

import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Address translation and TLB maintenance: every mapped read and write goes through the
 * CPU's TLB, filled from the page table on a miss, so a cleared PTE stays usable by a CPU that
 * cached it until that CPU is flushed.
 *
 * <p>Shootdowns come in two kinds, by profile. x86: {@code flush_tlb_kernel_range} flushes
 * locally, sends an IPI to every other CPU and waits until each has acknowledged (see
 * {@link Cpu}); a CPU spinning with IRQs off never does, and the wait ends in a lockup report.
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

    private final Machine machine;
    private final Layout layout;
    private final PageTable pageTable;
    private final boolean hardwareBroadcast;
    private final Tracer tracer;
    @SuppressWarnings("unused") private long broadcast;

    public Mmu(Machine machine, PageTable pageTable) {
        this.machine = machine;
        this.layout = machine.layout();
        this.pageTable = pageTable;
        this.hardwareBroadcast = machine.config().profile().hardwareTlbBroadcast();
        this.tracer = machine.tracer();
    }

    /** Reads payload word {@code word} of the page mapped at {@code vaddr}, as {@code cpu}. */
    public int read(Cpu cpu, long vaddr, int word) {
        cpu.irqPoint();
        Page page = translate(cpu, vaddr, false);
        cpu.stats().inc(Stat.ACCESS);
        return page.payload()[checkWord(page, word)];
    }

    /** Writes payload word {@code word} of the page mapped at {@code vaddr}, as {@code cpu}. */
    public void write(Cpu cpu, long vaddr, int word, int value) {
        cpu.irqPoint();
        Page page = translate(cpu, vaddr, true);
        cpu.stats().inc(Stat.ACCESS);
        page.payload()[checkWord(page, word)] = value;
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
     * Models {@code flush_tlb_kernel_range()}: after it returns, no CPU translates an address
     * in [start, end) through an entry cached before the call.
     */
    public void flushTlbKernelRange(Cpu cpu, long start, long end) {
        cpu.stats().inc(Stat.TLB_FLUSH);
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null,
                String.format("flush_tlb_kernel_range 0x%08x-0x%08x", start, end));
        int from = pageTable.index(start);
        int to = pageTable.index(end - 1) + 1;
        if (hardwareBroadcast) {
            BROADCAST.getAndAdd(this, 1L);
            cpu.tlb().flushRange(from, to);
            return;
        }
        cpu.tlb().flushRange(from, to);
        shootdownOthers(cpu);
    }

    /** Models {@code flush_tlb_all()}: every CPU's whole TLB. */
    public void flushTlbAll(Cpu cpu) {
        cpu.stats().inc(Stat.TLB_FLUSH);
        if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, "flush_tlb_all");
        cpu.tlb().flushAll();
        if (hardwareBroadcast) {
            BROADCAST.getAndAdd(this, 1L);
        } else {
            shootdownOthers(cpu);
        }
    }

    /** Models {@code flush_tlb_one_kernel()}: this CPU only, no IPI. */
    public void flushTlbOneKernel(Cpu cpu, long vaddr) {
        int slot = pageTable.index(vaddr);
        if (slot >= 0) {
            cpu.tlb().flushOne(slot);
            if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null,
                    String.format("flush_tlb_one_kernel 0x%08x", vaddr));
        }
    }

    /** IPIs every other CPU and waits for each acknowledgement (on_each_cpu with wait). */
    private void shootdownOthers(Cpu cpu) {
        int n = machine.nrCpus();
        long[] requests = cpu.callFunctionData();
        for (int i = 0; i < n; i++) {
            if (i != cpu.id()) {
                requests[i] = machine.cpu(i).postIpi();
                cpu.stats().inc(Stat.IPI_SENT);
                if (tracer != null) tracer.trace(cpu, Tracepoint.EVENT, null, "IPI to CPU#" + i);
            }
        }
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
                machine.watchdog().cpuLine(cpu))));
    }

    private static int checkWord(Page page, int word) {
        if (word < 0 || word >= page.words()) {
            throw new IllegalArgumentException("word " + word + " is outside the modelled payload"
                    + " of " + page.words() + " words (0.." + (page.words() - 1) + ")");
        }
        return word;
    }
}
