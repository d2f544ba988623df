package dev.kmapstress.kernel;

import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.locking.Spinlocks;
import dev.kmapstress.log.KernelLog;
import dev.kmapstress.log.Report;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Reports;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tlb;
import dev.kmapstress.machine.Tracer;
import dev.kmapstress.mm.Highmem;
import dev.kmapstress.mm.HighmemCopy;
import dev.kmapstress.mm.KmapLocal;
import dev.kmapstress.mm.Mmu;
import dev.kmapstress.mm.PageAddressTable;
import dev.kmapstress.mm.Pkmap;
import dev.kmapstress.sched.Scheduler;

/**
 * A simulated 32-bit kernel with highmem: CPUs, pages, page tables and TLBs, kmap_lock, the
 * page_address table, the PKMAP window, the scheduler's wait queues and a kernel log, built
 * from a {@link MachineConfig}. No static state: machines in one JVM are fully independent.
 *
 * <pre>{@code
 * Machine m = Machine.build(MachineConfig.builder(Profile.X86_PAE).cpus(2).build());
 * try (Cpu.Scope s = m.cpu(0).enter()) {
 *     Page p = m.highPage(3);
 *     long vaddr = m.highmem().kmap(s.cpu(), p);
 *     m.mmu().write(s.cpu(), vaddr, 0, 42);
 *     m.highmem().kunmap(s.cpu(), p);
 * }
 * }</pre>
 *
 * <p>Lowmem pages have pfns 0..lowmem-pages-1; highmem pages follow them.
 *
 * <p>The machine sits above the model: it builds mm, sched and the locks and hands each part
 * the others it calls, and the parts see the machine only as a {@link MachineContext}.
 */
public final class Machine implements MachineContext {

    private final MachineConfig config;
    private final Tracer tracer;
    private final Layout layout;
    private final KernelLog log = new KernelLog();
    private final Watchdog watchdog = new Watchdog(this);
    private final Spinlocks spinlocks;
    private final Cpu[] cpus;
    private final Page[] lowPages;
    private final Page[] highPages;
    private final PageTable pageTable;
    private final Mmu mmu;
    private final Scheduler scheduler;
    private final PageAddressTable pageAddressTable;
    private final Pkmap pkmap;
    private final Highmem highmem;
    private final KmapLocal kmapLocal;
    private final HighmemCopy highmemCopy;

    private Machine(MachineConfig config, Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        this.layout = new Layout(config);
        this.spinlocks = new Spinlocks(config, log, tracer);
        this.pageTable = new PageTable(layout, layout.kmMaxIdx() * config.cpus());
        this.scheduler = new Scheduler(this);
        this.cpus = new Cpu[config.cpus()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(this, i, new Tlb(pageTable), config.statistics());
            scheduler.startTask(cpus[i], scheduler.newTask("kmap/" + i));
        }
        this.lowPages = new Page[config.lowmemPages()];
        for (int i = 0; i < lowPages.length; i++) {
            lowPages[i] = new Page(i, false, i, config.payloadWords());
        }
        this.highPages = new Page[config.highmemPages()];
        for (int i = 0; i < highPages.length; i++) {
            highPages[i] = new Page(lowPages.length + i, true, i, config.payloadWords());
        }
        this.mmu = new Mmu(this, pageTable);
        this.pageAddressTable = new PageAddressTable(this, spinlocks, mmu);
        this.pkmap = new Pkmap(this, spinlocks, pageTable, mmu, pageAddressTable, scheduler);
        this.kmapLocal = new KmapLocal(this, pageTable, mmu, pkmap);
        this.highmem = new Highmem(this, spinlocks, pkmap, kmapLocal, pageTable, pageAddressTable, scheduler);
        this.highmemCopy = new HighmemCopy(this, kmapLocal, mmu, pkmap);
        scheduler.setKmapLocalHooks(kmapLocal);
    }

    /** Builds a machine; the configuration was validated when it was built. */
    public static Machine build(MachineConfig config) {
        return new Machine(config, null);
    }

    /** Builds a machine whose internal steps are reported to {@code tracer} (null for none). */
    public static Machine build(MachineConfig config, Tracer tracer) {
        return new Machine(config, tracer);
    }

    @Override public MachineConfig config() { return config; }
    @Override public Tracer tracer() { return tracer; }
    @Override public Layout layout() { return layout; }
    @Override public KernelLog log() { return log; }
    @Override public Reports reports() { return watchdog; }
    public Watchdog watchdog() { return watchdog; }
    public Mmu mmu() { return mmu; }
    public PageTable pageTable() { return pageTable; }
    public Scheduler scheduler() { return scheduler; }
    public PageAddressTable pageAddressTable() { return pageAddressTable; }
    public Pkmap pkmap() { return pkmap; }
    public Highmem highmem() { return highmem; }
    /** kmap_local_page/kmap_atomic: the per-CPU fixmap stacks. */
    public KmapLocal kmapLocal() { return kmapLocal; }
    /** The copy helpers (copy_highpage, memcpy_to_page and friends) of this machine. */
    public HighmemCopy highmemCopy() { return highmemCopy; }

    @Override public int nrCpus() { return cpus.length; }

    /** CPU {@code n}. */
    @Override
    public Cpu cpu(int n) {
        return cpus[n];
    }

    /** The K-th highmem page ({@code pK}). */
    @Override
    public Page highPage(int k) {
        return highPages[k];
    }

    /** The K-th lowmem page ({@code lK}). */
    @Override
    public Page lowPage(int k) {
        return lowPages[k];
    }

    @Override public int highPageCount() { return highPages.length; }

    @Override public int lowPageCount() { return lowPages.length; }

    /** Models {@code pfn_to_page()}; null for a pfn the machine does not have. */
    @Override
    public Page pfnToPage(long pfn) {
        if (pfn >= 0 && pfn < lowPages.length) {
            return lowPages[(int) pfn];
        }
        long h = pfn - lowPages.length;
        return h >= 0 && h < highPages.length ? highPages[(int) h] : null;
    }

    @Override
    public String spinlockName(int id) {
        return spinlocks.name(id);
    }

    /** A new spinlock of this machine's lock strategy (kmap_lock, buckets, wait queues). */
    public Spinlock newSpinlock(String name) {
        return spinlocks.newSpinlock(name);
    }

    /** The machine's spinlocks: their strategy, statistics and lock validator. */
    public Spinlocks spinlocks() { return spinlocks; }

    /**
     * Models {@code smp_send_stop()} as {@code panic()} uses it: every CPU stops at its next
     * wait (a spin in {@code cpu_relax()}, a sleep in {@code schedule()}, a blocking lock's
     * slice), where its thread throws {@link CpuStopped}; a CPU between operations stops when
     * it next waits. The model's detectors never call it: lockups and hung tasks are reports and
     * the CPUs go on, so a harness that has seen enough (the first failure of a run, a hang of a
     * JCStress sample) decides to stop the machine. {@code reason} (or null) travels in each
     * {@link CpuStopped}. There is no restart.
     */
    public void smpSendStop(Report reason) {
        for (Cpu c : cpus) {
            c.stop(reason);
        }
    }

    /** The total of one statistic over all CPUs. */
    public long statTotal(Stat s) {
        long t = 0;
        for (Cpu c : cpus) {
            t += c.stats().get(s);
        }
        return t;
    }
}
