package dev.kmapstress.torture;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.KernelOp;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Task;
import dev.kmapstress.mm.HighmemCopy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One torture thread, running as one CPU of the machine for the whole run, as locktorture's
 * writer kthreads do for a lock. It keeps one or more tasks; each repeats rounds: take a few
 * items (the workload decides: kmap, kmap_local_page, kmap_atomic, page copies) on random
 * pages, check each page's content through its mapping and stamp the pages it writes, hold
 * them (now and then for long), check every mapping again, release them in reverse order.
 * Between any two steps it may switch tasks (the scheduler's context switch, kmap_local's
 * sched hooks included) or take an interrupt. Between rounds it ends when the run stops, parks
 * when the run stutters, and waits while another worker's task sleeps for a slot (see
 * {@link #quiesce()}); it stops at the first failure it meets: an oops of the model (already in
 * the kernel log) or wrong data (reported by its {@link Verifier}).
 */
final class Worker implements Runnable, Hands {

    /** What the run's watchdog sees a worker doing. */
    enum State { STARTING, RUNNING, HOLDING, QUIESCING, PARKED, DONE }

    /** One pick in 16 is a lowmem page (kmap's shortcut); the rest highmem of the worker's colour. */
    private static final int LOWMEM_ONE_IN = 16;
    /** One pick in 4 comes from a few hot pages, so that CPUs share mappings (kmap hits, counts above 2). */
    private static final int HOT_ONE_IN = 4;
    private static final int CLAIM_TRIES = 4;
    /** With --irq, one step in 8 is followed by an interrupt. */
    private static final int IRQ_ONE_IN = 8;
    /** With several tasks, one step in 4 is preceded by a context switch. */
    private static final int SWITCH_ONE_IN = 4;
    private static final int SHORT_HOLD_SPINS = 64;
    /** How long a quiescing worker idles between two looks at the sleepers. */
    private static final long QUIESCE_POLL_NANOS = 20_000;
    /**
     * kmap_local entries a round may keep: KM_MAX_IDX usable entries (16, with or without
     * DEBUG_KMAP_LOCAL), less two for a copy's own mappings and one for an interrupt's.
     */
    private static final int STACK_BUDGET = Profile.KM_MAX_IDX - 3;

    private static final VarHandle PROGRESS;

    static {
        try {
            PROGRESS = MethodHandles.lookup().findVarHandle(Worker.class, "progress", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Machine machine;
    private final Cpu cpu;
    private final TortureConfig config;
    private final PageLedger ledger;
    private final OpSet ops;
    private final WorkerStats stats;
    private final Verifier verifier;
    private final RunControl control;
    private final Failures failures;
    private final SplittableRandom random;
    private final HighmemCopy copy;
    private final int[] buffer;
    private final TaskRound[] tasks;
    private final int colour;
    private final int[] pages;
    private final int hotPages;
    /** The workload's activities, each told when a round ends. */
    private final Activity[] activities;
    private final int flushOp;
    private final int probeOp;
    private final Runnable interrupt;
    private final Steps steps;
    private int current;
    private int currentOp = -1;
    /** Persistent highmem mappings this worker's tasks hold (the ledger caps it). */
    private int held;
    private volatile State state = State.STARTING;
    @SuppressWarnings("unused") private long progress;

    /** Every worker of the run, to see which of them sleep (set before the threads start). */
    private List<Worker> peers = List.of();

    Worker(Machine machine, int id, TortureConfig config, PageLedger ledger, OpSet ops,
            RunControl control, Failures failures, Steps steps) {
        this.machine = machine;
        this.cpu = machine.cpu(id);
        this.config = config;
        this.ledger = ledger;
        this.ops = ops;
        this.stats = new WorkerStats(ops.size());
        this.verifier = new Verifier(machine, ledger, ops, stats, String.join(" ", config.replayCommand()));
        this.control = control;
        this.failures = failures;
        this.random = new SplittableRandom(config.seed() + 0x9E37_79B9_7F4A_7C15L * (id + 1));
        this.copy = machine.highmemCopy();
        this.buffer = new int[machine.config().payloadWords()];
        this.colour = id % machine.config().colours();
        this.pages = ledger.colour(colour);
        this.hotPages = Math.max(1, Math.min(pages.length, machine.nrCpus()));
        this.activities = config.workload().activities().toArray(Activity[]::new);
        this.flushOp = ops.indexOrNone(KernelOp.KMAP_FLUSH_UNUSED);
        this.probeOp = ops.indexOrNone(KernelOp.PAGE_ADDRESS);
        this.steps = steps;
        this.interrupt = config.irq() ? new IrqHandler(machine, cpu, ledger, verifier, stats, ops, random, steps) : null;
        this.tasks = new TaskRound[config.tasksPerCpu()];
        for (int k = 0; k < tasks.length; k++) {
            tasks[k] = new TaskRound(config.mapsPerRound());
        }
        tasks[0].task = cpu.current();
    }

    /** Lets the worker see the others (the run's list, complete before any thread starts). */
    void peers(List<Worker> all) {
        this.peers = all;
    }

    // ---------------------------------------------------------------- views for the run

    Cpu cpu() { return cpu; }
    WorkerStats stats() { return stats; }
    State state() { return state; }

    /** Steps completed so far; read by the watchdog from any thread. */
    long progress() {
        return (long) PROGRESS.getOpaque(this);
    }

    /** The worker's tasks so far, the first being the one its CPU booted with. */
    List<Task> tasks() {
        List<Task> l = new ArrayList<>();
        for (TaskRound t : tasks) {
            Task task = t.task;
            if (task != null) {
                l.add(task);
            }
        }
        return l;
    }

    // ---------------------------------------------------------------- the thread

    @Override
    public void run() {
        try (Cpu.Scope s = cpu.enter()) {
            state = State.RUNNING;
            try {
                runTasks();
            } catch (CpuStopped e) {
                // The run stopped the machine to end, maybe while a mismatch's mappings were being
                // released; the report that made it do so is logged.
            }
        } catch (RuntimeException | Error e) {
            failures.internal(cpu.id(), e);
        } finally {
            state = State.DONE;
            control.leave();
        }
    }

    private void runTasks() {
        try {
            for (int k = 1; k < tasks.length; k++) {
                tasks[k].task = machine.scheduler().fork(cpu, cpu.current().name() + "-" + k);
            }
            loop();
        } catch (Oops e) {
            // The kernel log has the report, and the run has it through the log.
            stats.failed(currentOp);
        } catch (MismatchAbort e) {
            if (cpu.inHardirq()) {
                cpu.irqExit();
            }
            releaseAll();
        }
    }

    /**
     * Steps the tasks until the run stops. When the current task has finished its round and
     * the run stops, stutters, or another worker's task sleeps in map_new_virtual, no new round
     * starts: the worker finishes its other tasks' rounds first, then ends, parks or quiesces.
     */
    private void loop() {
        while (true) {
            TaskRound t = tasks[current];
            if (t.idle()) {
                if (control.stopping() || control.pausing() || anotherSleeps()) {
                    int busy = busyTask();
                    if (busy >= 0) {
                        switchTo(busy);
                    } else if (control.stopping()) {
                        return;
                    } else if (control.pausing()) {
                        park();
                    } else {
                        quiesce();
                    }
                    continue;
                }
                plan(t);
            } else if (tasks.length > 1 && random.nextInt(SWITCH_ONE_IN) == 0
                    && switchTo(random.nextInt(tasks.length))) {
                continue;
            }
            step(t);
            PROGRESS.setOpaque(this, (long) PROGRESS.getOpaque(this) + 1);
            if (interrupt != null && random.nextInt(IRQ_ONE_IN) == 0) {
                stats.extra(WorkerStats.INTERRUPTS, 1);
                steps.bare(cpu, KernelOp.IRQ_ENTER);
                cpu.runInterrupt(interrupt);
                steps.bare(cpu, KernelOp.IRQ_EXIT);
            }
        }
    }

    private int busyTask() {
        for (int k = 0; k < tasks.length; k++) {
            if (!tasks[k].idle()) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Preempts the current task in favour of task {@code k} (the model's context switch, with
     * kmap_local's sched-out and sched-in); false if the task may not be preempted now (inside
     * kmap_atomic).
     */
    private boolean switchTo(int k) {
        if (k == current) {
            return false;
        }
        if (!machine.scheduler().contextSwitch(cpu, tasks[k].task)) {
            return false;
        }
        steps.task(cpu, tasks[k].task);
        current = k;
        stats.extra(WorkerStats.CONTEXT_SWITCHES, 1);
        return true;
    }

    /**
     * With every task between rounds, so holding no PKMAP slot: waits, idle, while another
     * worker's task sleeps in map_new_virtual. In the faithful model that sleep ends at once: every slot that sleeper
     * waits for was freed by a kunmap_high that woke it, or is held by a worker that will release
     * it (the ledger's cap guarantees one). A wake-up that was lost is not healed by this
     * worker's next round, the task sleeps on, and the hung-task detector reports it: the quiet
     * moment locktorture's stutter gives, after every round.
     */
    private void quiesce() {
        state = State.QUIESCING;
        cpu.goIdle();
        try {
            while (anotherSleeps() && !control.stopping()) {
                LockSupport.parkNanos(this, QUIESCE_POLL_NANOS);
            }
        } finally {
            cpu.resume();
            state = State.RUNNING;
        }
    }

    private boolean anotherSleeps() {
        for (Worker w : peers) {
            if (w != this && w.state == State.RUNNING && w.cpu.current().state() != Task.TASK_RUNNING) {
                return true;
            }
        }
        return false;
    }

    private void park() {
        state = State.PARKED;
        cpu.goIdle();
        try {
            control.park();
        } finally {
            cpu.resume();
            state = State.RUNNING;
        }
    }

    // ---------------------------------------------------------------- rounds

    /** Draws a round's items; the round ends early rather than overflow the kmap_local stack. */
    private void plan(TaskRound t) {
        int want = 1 + random.nextInt(t.maps.length);
        int stack = 0;
        t.count = 0;
        while (t.count < want) {
            Activity a = config.workload().pick(random);
            stack += a.stackEntries();
            if (stack > STACK_BUDGET) {
                break;
            }
            t.maps[t.count++].reset(a, ops.index(a.ops().get(0)), ops.index(a.ops().get(1)));
        }
        t.sortByNesting();
        t.phase = TaskRound.MAP;
        t.next = 0;
    }

    private void step(TaskRound t) {
        switch (t.phase) {
            case TaskRound.MAP -> {
                Mapping mp = t.maps[t.next];
                mp.activity.take(this, mp);
                if (++t.next == t.count) {
                    t.phase = TaskRound.HOLD;
                }
            }
            case TaskRound.HOLD -> {
                hold();
                t.phase = TaskRound.VERIFY;
            }
            case TaskRound.VERIFY -> {
                verifyAll(t);
                t.phase = TaskRound.UNMAP;
                t.next = t.count - 1;
            }
            case TaskRound.UNMAP -> {
                unmap(t.maps[t.next]);
                if (--t.next < 0) {
                    endRound(t);
                }
            }
            default -> throw new IllegalStateException("task " + t.task + " has no round to step");
        }
    }

    @Override
    public void map(Mapping mp, MapKind kind) {
        int idx = kind.pinned() ? claimPinned(random.nextBoolean()) : claim(random.nextBoolean());
        if (idx < 0) {
            return;
        }
        take(mp, idx);
        boolean budgeted = kind.usesPkmapSlot(machine.config().profile()) && mp.page.isHighMem();
        if (budgeted && !ledger.trySlot(colour, held)) {
            ledger.release(idx, mp.write, mp.stamp);
            return;
        }
        currentOp = mp.mapOp;
        steps.page(cpu, mp.mapOp, mp.page);
        long t0 = System.nanoTime();
        mp.vaddr = kind.map(machine, cpu, mp.page);
        stats.done(mp.mapOp, System.nanoTime() - t0);
        mp.taken = true;
        if (budgeted) {
            ledger.mapped(idx, colour);
            mp.slot = true;
            held++;
        }
        kind.mapped(this, mp);
        steps.read(cpu, mp.vaddr);
        verifier.read(cpu, mp, "after mapping it");
        if (mp.write) {
            verifier.write(cpu, mp);
            steps.write(cpu, mp.vaddr, ledger.word(mp.stamp, 0));
        }
    }

    @Override
    public void checkAddress(Mapping mp) {
        verifier.checkAddress(cpu, mp);
    }

    @Override
    public void probeRandomPage() {
        currentOp = probeOp;
        Page p = ledger.page(ledger.pool()[random.nextInt(ledger.pool().length)]);
        steps.page(cpu, probeOp, p);
        verifier.probe(cpu, p, probeOp);
    }

    /**
     * copy_highpage() from a page this task reads into one it writes, then the copy read back
     * with memcpy_from_page() and checked: both go through kmap_local mappings of their own.
     */
    @Override
    public void copy(Mapping mp) {
        int dst = claim(true);
        if (dst < 0) {
            return;
        }
        int src = claim(false);
        if (src < 0) {
            ledger.release(dst, true, ledger.stamp(dst));
            return;
        }
        take(mp, dst);
        mp.source = src;
        currentOp = mp.mapOp;
        steps.note(cpu, "copy_highpage " + mp.page.name() + " " + ledger.page(src).name());
        long t0 = System.nanoTime();
        copy.copyHighpage(cpu, mp.page, ledger.page(src));
        stats.done(mp.mapOp, System.nanoTime() - t0);
        mp.taken = true;
        mp.stamp = ledger.stamp(src);
        verifier.checkPage(cpu, mp, "after copy_highpage from " + ledger.page(src).name());
        currentOp = mp.unmapOp;
        t0 = System.nanoTime();
        copy.memcpyFromPage(cpu, buffer, mp.page, 0, buffer.length);
        stats.done(mp.unmapOp, System.nanoTime() - t0);
        verifier.compare(cpu, mp, buffer, "read back with memcpy_from_page");
    }

    /** Claims a random page to write or read; its ledger index, or -1 if every pick was taken. */
    private int claim(boolean write) {
        for (int i = 0; i < CLAIM_TRIES; i++) {
            int idx = pickPage();
            if (ledger.tryClaim(idx, write)) {
                return idx;
            }
        }
        return -1;
    }

    /** Claims one of the pages the run keeps mapped; its ledger index, or -1 if every pick was taken. */
    private int claimPinned(boolean write) {
        int[] pinned = ledger.pinned(colour);
        for (int i = 0; i < CLAIM_TRIES && pinned.length > 0; i++) {
            int idx = pinned[random.nextInt(pinned.length)];
            if (ledger.tryClaim(idx, write)) {
                return idx;
            }
        }
        return -1;
    }

    private void take(Mapping mp, int idx) {
        mp.ledgerIndex = idx;
        mp.page = ledger.page(idx);
        mp.write = ledger.claimedForWrite(idx);
        mp.stamp = ledger.stamp(idx);
    }

    private int pickPage() {
        int lowmem = ledger.size() - ledger.lowBase();
        if (pages.length == 0 || lowmem > 0 && random.nextInt(LOWMEM_ONE_IN) == 0) {
            return ledger.lowBase() + random.nextInt(lowmem);
        }
        return pages[random.nextInt(random.nextInt(HOT_ONE_IN) == 0 ? hotPages : pages.length)];
    }

    private void hold() {
        int spins = random.nextInt(SHORT_HOLD_SPINS);
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        cpu.irqPoint();
        if (config.hold() > 0 && random.nextDouble() < config.hold()) {
            longHold();
        }
    }

    /**
     * Holds the round's mappings for {@code --long-hold}: asleep with the CPU idle (msleep) when
     * the task may sleep, so the CPU still takes TLB-shootdown IPIs; busy-waiting with IRQs on
     * (mdelay) inside kmap_atomic.
     */
    private void longHold() {
        state = State.HOLDING;
        stats.extra(WorkerStats.LONG_HOLDS, 1);
        long end = System.nanoTime() + config.longHold().toNanos();
        if (cpu.inAtomic()) {
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
                cpu.irqPoint();
            }
        } else {
            cpu.goIdle();
            try {
                for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                cpu.resume();
            }
        }
        state = State.RUNNING;
    }

    private void verifyAll(TaskRound t) {
        for (int i = 0; i < t.count; i++) {
            Mapping mp = t.maps[i];
            if (mp.taken) {
                currentOp = mp.mapOp;
                mp.activity.verify(this, mp);
            }
        }
    }

    @Override
    public void verifyMapped(Mapping mp) {
        steps.read(cpu, mp.vaddr);
        verifier.read(cpu, mp, "after holding it");
        verifyContent(mp);
    }

    @Override
    public void verifyContent(Mapping mp) {
        if (mp.write) {
            verifier.checkPage(cpu, mp, "after holding it");
        }
    }

    private void unmap(Mapping mp) {
        if (!mp.taken) {
            return;
        }
        mp.activity.release(this, mp);
        mp.taken = false;
        release(mp);
    }

    @Override
    public void unmap(Mapping mp, MapKind kind) {
        currentOp = mp.unmapOp;
        steps.unmap(cpu, mp.unmapOp, mp.page, mp.vaddr);
        long t0 = System.nanoTime();
        kind.unmap(machine, cpu, mp.page, mp.vaddr);
        stats.done(mp.unmapOp, System.nanoTime() - t0);
    }

    private void release(Mapping mp) {
        if (mp.slot) {
            ledger.unmapped(mp.ledgerIndex, colour);
            mp.slot = false;
            held--;
        }
        if (mp.source >= 0) {
            ledger.release(mp.source, false, 0);
        }
        ledger.release(mp.ledgerIndex, mp.write, mp.stamp);
    }

    private void endRound(TaskRound t) {
        t.phase = TaskRound.IDLE;
        stats.extra(WorkerStats.ROUNDS, 1);
        for (Activity a : activities) {
            a.afterRound(this);
        }
    }

    @Override
    public boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    @Override
    public void flushUnused() {
        currentOp = flushOp;
        steps.bare(cpu, KernelOp.KMAP_FLUSH_UNUSED);
        long t0 = System.nanoTime();
        machine.pkmap().kmapFlushUnused(cpu);
        stats.done(flushOp, System.nanoTime() - t0);
    }

    /**
     * After reporting wrong data: releases every mapping the tasks still hold, so that other
     * workers are not left asleep waiting for slots; failures on the way are already reports.
     */
    private void releaseAll() {
        for (int k = 0; k < tasks.length; k++) {
            if (tasks[k].task == null || k != current && !switchTo(k)) {
                continue;
            }
            for (int i = tasks[k].count - 1; i >= 0; i--) {
                try {
                    unmap(tasks[k].maps[i]);
                } catch (RuntimeException e) {
                    return;
                }
            }
        }
    }
}
