package dev.kmapstress.jcstress.support;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A two-CPU machine small enough to build for every JCStress sample, and the vocabulary the
 * tests' outcomes are written in. A test is its own JCStress state and extends it, sets the window up in
 * its constructor, and each actor runs its steps as its own CPU through {@link #on}.
 *
 * <p>Promises:
 * <ul>
 * <li>Every page's first payload word holds a tag naming the page, so {@link #read} reports
 *     whose data an address really showed ({@code "p3"}): a stale TLB entry or a slot reused
 *     under a user shows up as another page's name, never as a silent pass.</li>
 * <li>Nothing hangs a fork: the model's lockup and hung-task detectors report after
 *     {@link #DETECTORS} (or a race's own {@link Detectors}, which its controls inherit),
 *     faithful machine or not; a report is not the end of a wait (the CPU goes on, as in the
 *     kernel), so the sample stops its machine at the first one ({@code smp_send_stop}), and
 *     {@link #on} turns the stop, like every oops, into an outcome naming the report's kind
 *     ({@code BUG}, {@code PAGE_FAULT}, {@code HUNG_TASK}; a lockup with what the CPU spun on:
 *     {@code HARD_LOCKUP on kmap_lock}).</li>
 * <li>A lockup no CPU can end any more (a deadlock, an IPI to a CPU spinning with IRQs off, an
 *     endless list walk) is reported as soon as the model proves it, without waiting for the
 *     detectors ({@code lockup-proof}, on for every machine here): such a sample costs some
 *     thousands of spins of each CPU instead of {@link #DETECTORS}. The proof counts what the
 *     CPUs do, not time, so a CPU thread the host deschedules never makes one: the faithful
 *     races run with it as their controls do, and, under what core's {@code LockupProof}
 *     assumes of every wait (a user's lock's too), it cannot report a wait that would have
 *     ended.</li>
 * <li>An oops panics the machine ({@code panic_on_oops=1}): the sample stops its machine at
 *     the oops, so the other CPU stops at its next wait and names the oops, instead of spinning
 *     on a lock the oops left held until a detector reports it. The sample's verdict is the
 *     oops either way; the panic only spares the wait.</li>
 * <li>Each test class's machine configuration is validated and built once: it is the same in
 *     every sample of the class (a generated control's faults are its class's), and validating
 *     it cost a sample almost as much as building its machine ({@code SampleSetup} in
 *     benchmarks/).</li>
 * </ul>
 * Windows are tiny (a few PKMAP slots), so the wrap-around flush and the wait for a free slot
 * happen in most samples rather than once per 512 maps.
 */
public abstract class SmallMachine {

    /**
     * How long a CPU may spin or a task may sleep before the model reports a lockup or a hung
     * task, on every machine: a faithful race and its negative controls run with the same
     * detectors, so a control's hang is caught by the setting under which the faithful race
     * stays clean. Far beyond any honest wait in these races (microseconds) and beyond the
     * stalls the OS scheduler adds to a CPU's thread on a loaded 2-CPU machine (most of a second
     * seen); a control sample that hangs costs this much, unless the lockup proof reports it
     * first (a lockup no CPU can end).
     */
    public static final Duration DETECTORS = Duration.ofSeconds(2);

    /** The configuration of each test class's machines, built by its first sample. */
    private static final ConcurrentHashMap<Class<?>, MachineConfig> CONFIGS = new ConcurrentHashMap<>();

    /**
     * How long a race's gate waits for the other CPU to reach the state the race needs (asleep
     * on a queue, inside kmap_lock). Only a broken race waits that long; a fork's first samples
     * can take hundreds of milliseconds to get there while classes load on a busy machine.
     */
    public static final Duration GATE_TIMEOUT = Duration.ofSeconds(10);

    /** Pages are tagged with this plus their pfn in payload word 0. */
    private static final int TAG_BASE = 0x7a900000;

    /** The machine of this sample. */
    protected final Machine m;

    /** Set when CPU 0's part of a race is over, oops or not; see {@link #untilCpu0Finishes}. */
    private volatile boolean cpu0Finished;
    /** How many CPUs reached the start of a race run by {@link #onCpu0ThenFinish}. */
    private final AtomicInteger arrived = new AtomicInteger();

    /** One CPU's part of a race; returns what the CPU observed, as an outcome word. */
    @FunctionalInterface
    protected interface Steps {
        String run(Cpu cpu);
    }

    /** Thrown where a CPU read another page's data through an address it was given for one page. */
    protected static final class WrongData extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongData(String message) {
            super(message, null, false, false);
        }
    }

    /** Steps run as a CPU that report nothing: a setup, or one round of a repeated step. */
    @FunctionalInterface
    protected interface Setup {
        void run(Cpu cpu);
    }

    /**
     * Builds the machine of {@code config} with {@code faults} switched on and its hang
     * detectors at {@link #detectorsOf} this class, and tags its pages. The configuration is
     * built by the class's first sample and reused by the others.
     */
    protected SmallMachine(MachineConfig.Builder config, Fault... faults) {
        MachineConfig built = CONFIGS.computeIfAbsent(getClass(), c -> {
            config.lockupTimeout(detectorsOf(c)).hungTaskTimeout(detectorsOf(c)).lockupProof(true);
            for (Fault f : faults) {
                config.fault(f);
            }
            return config.build();
        });
        this.m = Machine.build(built);
        m.log().addListener(r -> {
            if (r.kind().hang() || r.kind().fatal()) {
                m.smpSendStop(r);
            }
        });
        for (int k = 0; k < m.highPageCount(); k++) {
            Page p = m.highPage(k);
            p.payload()[0] = (int) (TAG_BASE + p.pfn());
        }
    }

    /**
     * The lockup and hung-task threshold the machines of test class {@code test} run with: its
     * race's {@link Detectors}, inherited by every control of the race, or {@link #DETECTORS}.
     */
    public static Duration detectorsOf(Class<?> test) {
        Detectors d = test.getAnnotation(Detectors.class);
        return d == null ? DETECTORS : Duration.ofMillis(d.millis());
    }

    /**
     * Two CPUs of {@code profile} with a window of {@code lastPkmap} slots and
     * {@code highmemPages} highmem pages.
     */
    public static MachineConfig.Builder small(Profile profile, int lastPkmap, int highmemPages) {
        return MachineConfig.builder(profile).cpus(2).lastPkmap(lastPkmap)
                .highmemPages(highmemPages).lowmemPages(16).payloadWords(1);
    }

    /** The K-th highmem page. */
    protected final Page p(int k) {
        return m.highPage(k);
    }

    /**
     * Runs {@code steps} as CPU {@code n} and returns what it observed; an oops ends the steps
     * and becomes the name of its kind, as does the hang report that stopped the machine, and
     * a {@link WrongData} becomes its message.
     */
    protected final String on(int n, Steps steps) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            return steps.run(s.cpu());
        } catch (Oops e) {
            return outcomeOf(e.report(), n);
        } catch (CpuStopped e) {
            return outcomeOf(e.reason(), n);
        } catch (WrongData e) {
            return e.getMessage();
        }
    }

    /**
     * An oops as an outcome word: its kind, and for a lockup what the CPU spun on, as the
     * report names it ({@code HARD_LOCKUP on IPI acknowledgement from CPU#1}), so that a race
     * can require the lockup its mechanism causes and not take a stalled thread for it.
     */
    static String outcomeOf(Report r, int cpu) {
        String kind = r.kind().name();
        if (r.kind() != ReportKind.SOFT_LOCKUP && r.kind() != ReportKind.HARD_LOCKUP) {
            return kind;
        }
        String mine = "CPU#" + cpu + " spinning on ";
        return r.lines().stream().filter(l -> l.startsWith(mine) && l.contains(" for "))
                .findFirst().map(l -> kind + " on " + l.substring(mine.length(), l.lastIndexOf(" for ")))
                .orElse(kind);
    }

    /**
     * Runs {@code steps} as CPU {@code n} like {@link #on}, once the other CPU has arrived too
     * (at this method, {@link #onCpu0ThenFinish} or {@link #untilCpu0Finishes}). Rounds of a
     * race only overlap if both threads are on a processor at once; meeting first makes that
     * likely even on a loaded machine, where the OS runs each thread a fraction of the time.
     */
    protected final String together(int n, Steps steps) {
        meet();
        return on(n, steps);
    }

    /**
     * Runs {@code steps} as CPU 0 like {@link #together}, then lets the other CPU's
     * {@link #untilCpu0Finishes} loop end.
     */
    protected final String onCpu0ThenFinish(Steps steps) {
        try {
            return together(0, steps);
        } finally {
            cpu0Finished = true;
        }
    }

    /**
     * Once CPU 0 has reached {@link #onCpu0ThenFinish}, repeats {@code step} as CPU {@code n}
     * until CPU 0's part is over, at least once, so that a short operation keeps overlapping a
     * long one; returns {@code done}, or the oops that stopped it.
     */
    protected final String untilCpu0Finishes(int n, Setup step, String done) {
        meet();
        long deadline = System.nanoTime() + GATE_TIMEOUT.toNanos();
        return on(n, cpu -> {
            do {
                step.run(cpu);
            } while (!cpu0Finished && System.nanoTime() < deadline);
            return done;
        });
    }

    /** Waits, outside any CPU, until both CPUs have arrived (or {@link #GATE_TIMEOUT} passed). */
    private void meet() {
        long deadline = System.nanoTime() + GATE_TIMEOUT.toNanos();
        arrived.incrementAndGet();
        while (arrived.get() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** Runs {@code setup} as CPU {@code n}; an oops here is a broken test, so it propagates. */
    protected final void setUp(int n, Setup setup) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            setup.run(s.cpu());
        }
    }

    /** Maps {@code pages} as CPU {@code n} and keeps them mapped: each slot's count ends at 2. */
    protected final void pin(int n, Page... pages) {
        setUp(n, cpu -> {
            for (Page p : pages) {
                kmap(cpu, p);
            }
        });
    }

    /** Pins p0, p1, ... as CPU {@code n} until every slot of the window is in use. */
    protected final void fillWindow(int n) {
        Page[] pages = new Page[m.layout().lastPkmap()];
        for (int k = 0; k < pages.length; k++) {
            pages[k] = p(k);
        }
        pin(n, pages);
    }

    /** Maps {@code pages} as CPU {@code n} and unmaps them: mapped, unused, count 1. */
    protected final void mapUnused(int n, Page... pages) {
        setUp(n, cpu -> {
            for (Page p : pages) {
                kmap(cpu, p);
                kunmap(cpu, p);
            }
        });
    }

    /** Models {@code kmap()}. */
    protected final long kmap(Cpu cpu, Page p) {
        return m.highmem().kmap(cpu, p);
    }

    /** Maps {@code p} and says where and what it found: {@code "slot 1: p0"}. */
    protected final String mapAndRead(Cpu cpu, Page p) {
        long va = kmap(cpu, p);
        return "slot " + slot(va) + ": " + read(cpu, va);
    }

    /**
     * As CPU {@code n}: maps {@code p}, reads it and unmaps it. Returns what it read and whether
     * the CPU slept for a slot first ({@code "read p4 after sleeping"}), or the oops that
     * stopped it (a lost wake-up: the hung-task report).
     */
    protected final String mapReadUnmap(int n, Page p) {
        return on(n, cpu -> {
            String seen = read(cpu, kmap(cpu, p));
            kunmap(cpu, p);
            return "read " + seen + (sleeps(n) > 0 ? " after sleeping" : " without sleeping");
        });
    }

    /**
     * Maps {@code p}, reads it and unmaps it, {@code rounds} times; returns
     * {@code "p3 in all 16 rounds"}, or the first round whose address showed other data.
     */
    protected final String mapReadUnmapRounds(Cpu cpu, Page p, int rounds) {
        for (int i = 0; i < rounds; i++) {
            String seen = read(cpu, kmap(cpu, p));
            kunmap(cpu, p);
            if (!seen.equals(p.name())) {
                return "round " + i + " read " + seen;
            }
        }
        return p.name() + " in all " + rounds + " rounds";
    }

    /**
     * Maps {@code p}, checks that its address shows {@code p}'s data and unmaps it: a step of
     * {@link #untilCpu0Finishes}, whose wrong data ends the loop and becomes the outcome.
     *
     * @throws WrongData naming the page read instead
     */
    protected final void mapCheckUnmap(Cpu cpu, Page p) {
        String seen = read(cpu, kmap(cpu, p));
        kunmap(cpu, p);
        if (!seen.equals(p.name())) {
            throw new WrongData(p.name() + "'s address showed " + seen);
        }
    }

    /** Models {@code kunmap()}. */
    protected final void kunmap(Cpu cpu, Page p) {
        m.highmem().kunmap(cpu, p);
    }

    /**
     * As CPU {@code n}: kunmaps {@code pages} (if any), then runs kmap_flush_unused. Returns
     * {@code "flushed"} or {@code "unmapped and flushed"}, or the oops that stopped it.
     */
    protected final String unmapAndFlush(int n, Page... pages) {
        return on(n, cpu -> {
            for (Page p : pages) {
                kunmap(cpu, p);
            }
            kmapFlushUnused(cpu);
            return pages.length == 0 ? "flushed" : "unmapped and flushed";
        });
    }

    /** As CPU {@code n}: kunmaps {@code pages}. Returns {@code "unmapped"}, or the oops. */
    protected final String unmap(int n, Page... pages) {
        return on(n, cpu -> {
            for (Page p : pages) {
                kunmap(cpu, p);
            }
            return "unmapped";
        });
    }

    /** Models {@code kmap_flush_unused()}. */
    protected final void kmapFlushUnused(Cpu cpu) {
        m.pkmap().kmapFlushUnused(cpu);
    }

    /** The PKMAP slot number of a window address. */
    protected final int slot(long vaddr) {
        return m.layout().pkmapNr(vaddr);
    }

    /**
     * Reads payload word 0 through {@code vaddr} as {@code cpu} and names the page whose data
     * it found ({@code "p3"}), or {@code "garbage"} for a value that tags no page.
     */
    protected final String read(Cpu cpu, long vaddr) {
        int tag = m.mmu().read(cpu, vaddr, 0);
        Page p = m.pfnToPage((long) tag - TAG_BASE);
        return p == null ? "garbage" : p.name();
    }

    /**
     * The slot the page table maps {@code p} in, or -1; read without locks, so call it only when
     * the machine is quiet (from an arbiter).
     */
    protected final int slotOf(Page p) {
        for (int nr = 0; nr < m.layout().lastPkmap(); nr++) {
            if (maps(nr, p)) {
                return nr;
            }
        }
        return -1;
    }

    /** How many slots the page table maps {@code p} in (more than one is a corrupt window); for arbiters. */
    protected final int slotsOf(Page p) {
        int n = 0;
        for (int nr = 0; nr < m.layout().lastPkmap(); nr++) {
            n += maps(nr, p) ? 1 : 0;
        }
        return n;
    }

    /** {@code "p1 count 1"} for slot {@code nr}, or {@code "empty"}; for arbiters. */
    protected final String slotContents(int nr) {
        long pte = m.pageTable().get(nr);
        return PageTable.pteNone(pte) ? "empty"
                : m.pfnToPage(PageTable.ptePfn(pte)).name() + " count " + m.pkmap().pkmapCount(nr);
    }

    private boolean maps(int nr, Page p) {
        long pte = m.pageTable().get(nr);
        return !PageTable.pteNone(pte) && PageTable.ptePfn(pte) == p.pfn();
    }

    /**
     * {@code "users left: N"}, N the users the window's counts still record (count - 1 per
     * mapped slot); for arbiters of races where every CPU unmaps what it mapped.
     */
    protected final String usersLeft() {
        int users = 0;
        for (int nr = 0; nr < m.layout().lastPkmap(); nr++) {
            users += Math.max(0, m.pkmap().pkmapCount(nr) - 1);
        }
        return "users left: " + users;
    }

    /** {@code "p0 unmapped"} or {@code "p0 in slot N count C"}; for arbiters. */
    protected final String where(Page p) {
        int nr = slotOf(p);
        return nr < 0 ? p.name() + " unmapped" : p.name() + " in slot " + nr + " count " + countOf(p);
    }

    /**
     * {@code "fixmap empty"}, or how many kmap_local fixmap slots (those after the PKMAP window
     * in the page table) are still mapped; for arbiters of races where every CPU unmaps.
     */
    protected final String fixmapLeft() {
        int mapped = 0;
        for (int slot = m.layout().lastPkmap(); slot < m.pageTable().slots(); slot++) {
            mapped += PageTable.pteNone(m.pageTable().get(slot)) ? 0 : 1;
        }
        return mapped == 0 ? "fixmap empty" : mapped + " fixmap slots left mapped";
    }

    /** pkmap_count of {@code p}'s slot, 0 if unmapped; for arbiters. */
    protected final int countOf(Page p) {
        int nr = slotOf(p);
        return nr < 0 ? 0 : m.pkmap().pkmapCount(nr);
    }

    /** How many times CPU {@code n} slept in map_new_virtual so far. */
    protected final long sleeps(int n) {
        return m.cpu(n).stats().get(Stat.SLEEP);
    }

    /**
     * Waits, outside any CPU, until a task sleeps on the wait queue of {@code colour}; false if
     * none did within {@link #GATE_TIMEOUT}. Gates a race on the waiter being asleep.
     */
    protected final boolean awaitSleeper(int colour) {
        long deadline = System.nanoTime() + GATE_TIMEOUT.toNanos();
        while (!m.pkmap().getPkmapWaitQueueHead(colour).waitqueueActive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
