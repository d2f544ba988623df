package dev.kmapstress.machine;

import dev.kmapstress.lock.CpuContext;
import dev.kmapstress.log.Report;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One CPU of a machine: what the kernel keeps per CPU (preempt_count, the IRQ flag,
 * migrate_disable and pagefault_disable depths, the current task) and its TLB.
 *
 * <p><b>Threads as CPUs.</b> Any thread runs as this CPU for a scope:
 * <pre>{@code
 * try (Cpu.Scope s = machine.cpu(1).enter()) {
 *     long vaddr = machine.highmem().kmap(s.cpu(), page);
 *     ...
 * }
 * }</pre>
 * Two threads acting as one CPU at once is refused. The model's functions take the CPU as
 * their first argument, the way kernel code reaches {@code current}: no ThreadLocal lookup on
 * any hot path. Per-CPU state is plain memory, touched only by the thread running the CPU.
 *
 * <p>Algorithmic notes (IPIs). A TLB shootdown queues its call (a full flush or a range, see
 * {@link Tlb}) for each other CPU, counts a request ({@code ipiRequested}) and waits until the
 * CPU has acknowledged it ({@code ipiAcked}) or is not running. A CPU takes requests at its
 * IRQ-enabled points ({@link #cpuRelax()} with IRQs on, {@link #localIrqEnable()}, the start of
 * each model operation) by running the queued calls on its TLB. A CPU that is not running (no thread, asleep in schedule(),
 * blocked in a sleeping lock with IRQs on) counts as acknowledged because it takes every
 * pending request before it touches its TLB again: {@link #enter()} and the end of a sleep
 * write {@code runState} and then read {@code ipiRequested}, while the sender increments
 * {@code ipiRequested} and then reads {@code runState}; both are sequentially consistent, so at
 * least one side sees the other and no flush is lost.
 */
public final class Cpu implements CpuContext {

    /** preempt_count layout of include/linux/preempt.h. */
    public static final int PREEMPT_OFFSET = 1;
    public static final int SOFTIRQ_OFFSET = 1 << 8;
    public static final int HARDIRQ_OFFSET = 1 << 16;
    public static final int NMI_OFFSET = 1 << 20;
    private static final int SOFTIRQ_MASK = 0xff << 8;
    private static final int HARDIRQ_MASK = 0xf << 16;
    private static final int NMI_MASK = 0xf << 20;

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int ASLEEP = 2;

    /** Spins between two looks at the clock in {@link #cpuRelax()}. */
    private static final int SPIN_CHECK_MASK = 0x3ff;

    private static final VarHandle OWNER;
    private static final VarHandle RUN_STATE;
    private static final VarHandle IPI_REQUESTED;
    private static final VarHandle IPI_ACKED;
    private static final VarHandle PENDING_CALL;
    private static final VarHandle SPINNING_SINCE;
    private static final VarHandle RELAX_CHECKS;
    private static final VarHandle WAITS;
    private static final VarHandle ENTRIES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(Cpu.class, "owner", Thread.class);
            RUN_STATE = l.findVarHandle(Cpu.class, "runState", int.class);
            IPI_REQUESTED = l.findVarHandle(Cpu.class, "ipiRequested", long.class);
            IPI_ACKED = l.findVarHandle(Cpu.class, "ipiAcked", long.class);
            PENDING_CALL = l.findVarHandle(Cpu.class, "pendingCall", long.class);
            SPINNING_SINCE = l.findVarHandle(Cpu.class, "spinningSince", long.class);
            RELAX_CHECKS = l.findVarHandle(Cpu.class, "relaxChecks", long.class);
            WAITS = l.findVarHandle(Cpu.class, "waits", long.class);
            ENTRIES = l.findVarHandle(Cpu.class, "entries", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MachineContext machine;
    private final int id;
    private final CpuStats stats;
    private final Tlb tlb;
    private final Tracer tracer;
    private final Scope scope = new Scope();
    /**
     * The kernel's per-CPU {@code cfd_data}: the request number this CPU posted to each other
     * CPU in its current shootdown. Only this CPU's thread uses it, and a shootdown never nests
     * (an IPI handler flushes, it does not shoot down), so one array per CPU is enough and a
     * shootdown allocates nothing.
     */
    private final long[] callFunctionData;
    /** What a CPU waiting for this one's IPI acknowledgement spins on (built once: no garbage per wait). */
    private final String ipiAckWait;
    /**
     * The machine's {@code lockup-proof}: whether waits are also judged by {@link LockupProof}.
     * Only then are {@code relaxChecks}, {@code waits} and {@code entries} kept: without the
     * proof nobody reads them, and each would be one more shared store (and, under Lincheck's
     * model checking, one more switch point) on every CPU entry or wait.
     */
    private final boolean proveLockups;

    // Owned by the thread running the CPU.
    private int preemptCount;
    private boolean irqsDisabled;
    private int migrateDisable;
    private int pagefaultDisable;
    private Task current;
    private long seenBroadcast;
    private int spins;
    private long spinStart;
    private boolean recheckLockup;
    /** What the CPU waits for when it is not a spinlock (an IPI acknowledgement...). */
    private String spinTarget;
    /** The spinlock the CPU is taking or dropping ({@link MachineContext#spinlockName}), or -1. */
    private int spinLockId = -1;
    /** When the lockup detector last reported this wait ({@code watchdog_report_ts}), or its start. */
    private long reportTs;
    /** Whether this wait was reported as a hard lockup ({@code hard_watchdog_warn}): once per wait. */
    private boolean hardWatchdogWarn;
    /** This CPU's {@link LockupProof}, made at its first long wait; or null. */
    private LockupProof lockupProof;

    // Read by other threads (shootdowns, watchdogs).
    @SuppressWarnings("unused") private volatile Thread owner;
    @SuppressWarnings("unused") private int runState;
    @SuppressWarnings("unused") private long ipiRequested;
    @SuppressWarnings("unused") private long ipiAcked;
    /** The calls queued for this CPU and not yet taken (its {@code call_single_queue}), merged. */
    @SuppressWarnings("unused") private long pendingCall;
    @SuppressWarnings("unused") private long spinningSince;
    // Kept only with proveLockups, for other CPUs' LockupProof.
    /** Periodic lockup checks so far, one per 1,024 cpu_relax(): the time this CPU has spun. */
    private long relaxChecks;
    /** Waits the lockup detector has looked at: with spinningSince, the current one's name. */
    private long waits;
    /** Threads that have entered this CPU so far. */
    private long entries;
    private volatile String spinningOn;
    /** Set by the machine's {@code smpSendStop}: the CPU stops at its next wait. */
    private volatile boolean stopRequested;
    private volatile Report stopReason;

    /** CPU {@code id} of {@code machine}, with its TLB; the machine builds its CPUs. */
    public Cpu(MachineContext machine, int id, Tlb tlb, boolean statistics) {
        this.machine = machine;
        this.id = id;
        this.tlb = tlb;
        this.tracer = machine.tracer();
        this.stats = new CpuStats(statistics);
        this.callFunctionData = new long[machine.config().cpus()];
        this.ipiAckWait = "IPI acknowledgement from CPU#" + id;
        this.proveLockups = machine.config().lockupProof();
    }

    @Override
    public int id() { return id; }

    public CpuStats stats() { return stats; }

    public Tlb tlb() { return tlb; }

    // ---------------------------------------------------------------- scopes

    /** A thread's turn as this CPU; closing it ends the turn. Preallocated: entering allocates nothing. */
    public final class Scope implements AutoCloseable {
        /** The CPU this scope runs as. */
        public Cpu cpu() {
            return Cpu.this;
        }

        @Override
        public void close() {
            exit();
        }
    }

    /**
     * Makes the calling thread run as this CPU until the returned scope is closed, and takes
     * the IPIs that arrived while no thread ran it.
     *
     * @throws IllegalStateException if another thread is running as this CPU
     */
    public Scope enter() {
        Thread me = Thread.currentThread();
        if (!OWNER.compareAndSet(this, null, me)) {
            Thread other = owner;
            throw new IllegalStateException("CPU " + id + " is already being run by thread '"
                    + (other == null ? "?" : other.getName()) + "'; thread '" + me.getName()
                    + "' cannot run as it at the same time");
        }
        if (proveLockups) {
            ENTRIES.setRelease(this, entries + 1);
        }
        resume();
        return scope;
    }

    /** Ends the calling thread's turn as this CPU. */
    void exit() {
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("thread '" + Thread.currentThread().getName()
                    + "' is not running as CPU " + id);
        }
        RUN_STATE.setVolatile(this, IDLE);
        owner = null;
    }

    /** The thread running as this CPU, or null. */
    public Thread owner() { return owner; }

    // ---------------------------------------------------------------- task and contexts

    /** Models {@code current}. */
    public Task current() { return current; }

    /** Makes {@code task} the CPU's current task (the scheduler's context switch does this). */
    public void setCurrent(Task task) { this.current = task; }

    public int preemptCount() { return preemptCount; }

    /** Models {@code preempt_disable()}. */
    public void preemptDisable() { preemptCount += PREEMPT_OFFSET; }

    /** Models {@code preempt_enable()} (no preemption point is modelled). */
    public void preemptEnable() { preemptCount -= PREEMPT_OFFSET; }

    /** Models {@code in_atomic()}. */
    public boolean inAtomic() { return preemptCount != 0; }

    /** Models {@code in_task()}: not in NMI, hard-IRQ or softirq context. */
    public boolean inTask() { return (preemptCount & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)) == 0; }

    /** Models {@code in_hardirq()}. */
    public boolean inHardirq() { return (preemptCount & HARDIRQ_MASK) != 0; }

    /** Models {@code in_interrupt()}: in NMI, hard-IRQ or softirq context. */
    public boolean inInterrupt() { return (preemptCount & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0; }

    /** Models {@code irqs_disabled()}. */
    public boolean irqsDisabled() { return irqsDisabled; }

    @Override
    public int nestingContext() {
        if ((preemptCount & NMI_MASK) != 0) return 3;
        if ((preemptCount & HARDIRQ_MASK) != 0) return 2;
        if ((preemptCount & SOFTIRQ_MASK) != 0) return 1;
        return 0;
    }

    /** Models {@code local_irq_disable()}. */
    public void localIrqDisable() { irqsDisabled = true; }

    /** Models {@code local_irq_enable()}: an IRQ-enabled point, pending IPIs are taken. */
    public void localIrqEnable() {
        irqsDisabled = false;
        pollIpi();
    }

    /** Models {@code local_irq_save()}: disables IRQs, returns whether they were disabled. */
    public boolean localIrqSave() {
        boolean flags = irqsDisabled;
        irqsDisabled = true;
        return flags;
    }

    /** Models {@code local_irq_restore(flags)}. */
    public void localIrqRestore(boolean flags) {
        if (!flags) {
            localIrqEnable();
        }
    }

    /**
     * Models {@code irq_enter()} as hardware delivers an interrupt: IRQs off, hard-IRQ context.
     *
     * @throws IllegalStateException if IRQs are disabled (the interrupt cannot be delivered)
     */
    public void irqEnter() {
        if (irqsDisabled) {
            throw new IllegalStateException("CPU " + id + " has IRQs disabled: an interrupt"
                    + " cannot be delivered until local_irq_enable()");
        }
        irqsDisabled = true;
        preemptCount += HARDIRQ_OFFSET;
    }

    /** Models {@code irq_exit()} and the return from interrupt (IRQs on again). */
    public void irqExit() {
        if (!inHardirq()) {
            throw new IllegalStateException("CPU " + id + " is not in hard-IRQ context");
        }
        preemptCount -= HARDIRQ_OFFSET;
        localIrqEnable();
    }

    /** Runs {@code handler} as a hard interrupt arriving between two steps of the current task. */
    public void runInterrupt(Runnable handler) {
        irqEnter();
        handler.run();
        irqExit();
    }

    public int migrateDisableCount() { return migrateDisable; }

    /** Models {@code migrate_disable()}. */
    public void migrateDisable() { migrateDisable++; }

    /** Models {@code migrate_enable()}. */
    public void migrateEnable() { migrateDisable--; }

    public int pagefaultDisableCount() { return pagefaultDisable; }

    /** Models {@code pagefault_disable()}. */
    public void pagefaultDisable() { pagefaultDisable++; }

    /** Models {@code pagefault_enable()}. */
    public void pagefaultEnable() { pagefaultDisable--; }

    /**
     * Loads the migrate_disable and pagefault_disable depths of the task being switched in: in
     * the kernel both live in the task ({@code migration_disabled}, {@code pagefault_disabled}),
     * so the scheduler's context switch carries them from task to task.
     */
    public void loadTaskDepths(int migrateDisable, int pagefaultDisable) {
        this.migrateDisable = migrateDisable;
        this.pagefaultDisable = pagefaultDisable;
    }

    // ---------------------------------------------------------------- IPIs and TLB

    /** An IRQ-enabled point between operations: takes pending IPIs unless IRQs are off. */
    public void irqPoint() {
        if (!irqsDisabled) {
            pollIpi();
        }
    }

    /**
     * Takes the pending IPIs: runs the calls posted so far ({@code flush_smp_call_function_queue}).
     * The request number is read before the calls are taken, and a sender merges its call in
     * before it counts its request, so every request counted here has its call taken here or
     * earlier.
     */
    private void pollIpi() {
        long requested = (long) IPI_REQUESTED.getVolatile(this);
        if (requested != (long) IPI_ACKED.get(this)) {
            tlb.runCall((long) PENDING_CALL.getAndSet(this, Tlb.NO_CALL));
            stats.inc(Stat.IPI_ACKED);
            IPI_ACKED.setRelease(this, requested);
            if (tracer != null) tracer.trace(this, Tracepoint.IPI_ACK, null, "IPI: flush TLB");
        }
    }

    /**
     * Queues {@code call} (a {@link Tlb} call: a full flush or a range) for this CPU and sends
     * it the IPI; returns the request number to wait for. Calls not yet taken are merged into
     * one that does at least what each asked.
     */
    public long postIpi(long call) {
        long pending;
        do {
            pending = (long) PENDING_CALL.getVolatile(this);
        } while (!PENDING_CALL.compareAndSet(this, pending, Tlb.mergeCalls(pending, call)));
        return (long) IPI_REQUESTED.getAndAdd(this, 1L) + 1;
    }

    /** This CPU's {@link #callFunctionData}, for {@code Mmu}'s shootdown. */
    public long[] callFunctionData() { return callFunctionData; }

    /** The name of a wait for this CPU's IPI acknowledgement, for {@link #spinBegin}. */
    public String ipiAckWait() { return ipiAckWait; }

    /** Whether IPI {@code request} was acknowledged or needs no wait (the CPU is not running). */
    public boolean ipiDone(long request) {
        return (long) IPI_ACKED.getAcquire(this) >= request || (int) RUN_STATE.getVolatile(this) != RUNNING;
    }

    /** Whether the CPU is running (not idle, not asleep). */
    public boolean running() {
        return (int) RUN_STATE.getVolatile(this) == RUNNING;
    }

    /**
     * Applies a hardware TLB broadcast this CPU has not seen yet (profiles without IPIs): the
     * broadcast is complete for every access that starts after it.
     */
    public void syncTlbBroadcast(long generation) {
        if (seenBroadcast != generation) {
            tlb.flushAll();
            seenBroadcast = generation;
        }
    }

    /** The CPU's thread goes to sleep (schedule()): it counts as idle for IPIs meanwhile. */
    public void goIdle() {
        RUN_STATE.setVolatile(this, ASLEEP);
    }

    /** The CPU's thread runs again: take every IPI that arrived meanwhile before going on. */
    public void resume() {
        RUN_STATE.setVolatile(this, RUNNING);
        pollIpi();
    }

    // ---------------------------------------------------------------- spinning and lockups

    /**
     * Starts a wait on {@code what}; {@link #cpuRelax()} measures from its first look at the
     * clock, within {@value #SPIN_CHECK_MASK} + 1 spins of here. Called on every lock
     * acquisition, so it stores only the name: the spin count is not reset (it only spaces the
     * looks at the clock), and the clock is reset only if a wait was left unended.
     */
    public void spinBegin(String what) {
        spinTarget = what;
        spinLockId = -1;
        if (spinStart != 0) {
            spinEnd();
        }
    }

    /**
     * {@link #spinBegin} for the machine's spinlock number {@code lockId}, which every lock and
     * unlock starts: an int store, where a String field store is a GC write barrier (and its
     * out-of-line code in every compiled method that takes a lock).
     */
    public void spinBeginLock(int lockId) {
        // A lock and its unlock name the same lock: no store, one fewer for a locked
        // instruction to wait for.
        if (spinLockId != lockId) {
            spinLockId = lockId;
        }
        if (spinStart != 0) {
            spinEnd();
        }
    }

    /** The name of what the CPU waits for (or last waited for). */
    private String waitName() {
        return spinLockId >= 0 ? machine.spinlockName(spinLockId) : spinTarget;
    }

    /** Ends the wait started by {@link #spinBegin}. */
    public void spinEnd() {
        if (spinStart != 0) {
            SPINNING_SINCE.setOpaque(this, 0L);
            spinningOn = null;
            // The next wait measures from its own start, never from this one's.
            spinStart = 0;
        }
    }

    @Override
    public void cpuRelax() {
        if (tracer != null) tracer.trace(this, Tracepoint.SPIN, null, waitName());
        Thread.onSpinWait();
        if (!irqsDisabled) {
            pollIpi();
        }
        if ((++spins & SPIN_CHECK_MASK) == 0) {
            if (proveLockups) {
                RELAX_CHECKS.setRelease(this, relaxChecks + 1);
            }
            checkLockup();
        } else if (recheckLockup) {
            checkLockup();
        }
    }

    /**
     * One step of a list walk that has gone {@code stepsPastEnd} entries past the most its list
     * can hold: CPUs edited the list at once, or reused an entry still on it (possible only
     * where a lock is broken), so the walk may never get back to the list's head. The kernel's
     * CPU goes round there until a lockup detector reports it; so does this one, as a wait on
     * {@code what} (named at the first step past the end) that spins through
     * {@link #cpuRelax()}, where the detectors, the lockup proof and the machine's
     * {@code smpSendStop} reach it. The CPU's next wait ends it, as it ends any wait left open.
     * Walks count their steps in a long: an int wraps after 2^31 steps (minutes of a walk that
     * no harness stopped), and the walk would then go round without a spin, where nothing
     * reaches it, for as many more, and begin the wait anew (a second report of one lockup).
     */
    public void spinInCorruptList(String what, long stepsPastEnd) {
        if (stepsPastEnd == 1) {
            spinBegin(what);
        }
        cpuRelax();
    }

    /**
     * The lockup detectors' look at a CPU that has been waiting since {@code spinStart}, made
     * from its own spin loop. Past the machine's lockup threshold it reports, in the kernel's
     * words, and lets the CPU spin on (the kernel's detectors never stop a CPU): with IRQs off
     * a hard lockup, once per wait ({@code watchdog_overflow_callback()}); with IRQs on a soft
     * lockup, again after every further threshold ({@code watchdog_timer_fn()} restarts its
     * report period). A holder descheduled by the host thus costs a report, not the lock: the
     * waiter keeps its place in a FIFO lock's queue and takes the lock when it comes. Also the
     * point where a CPU meets the machine's {@code smpSendStop}.
     *
     * <p>On a machine with {@code lockup-proof} the first report of a wait may come before the
     * threshold: as soon as {@link LockupProof} shows that no CPU can end the wait. It says what
     * the threshold would have said later, since such a wait never ends.
     *
     * @throws CpuStopped if the machine was stopped
     */
    private void checkLockup() {
        recheckLockup = false;
        checkStop();
        long now = System.nanoTime();
        if (spinStart == 0) {
            spinStart = now;
            reportTs = now;
            hardWatchdogWarn = false;
            spinningOn = waitName();
            if (proveLockups) {
                // The wait's number before its start time: a CPU that reads the start (acquire)
                // reads this wait's number, never the previous one's (LockupProof tells waits
                // apart by both).
                WAITS.setOpaque(this, waits + 1);
                SPINNING_SINCE.setRelease(this, now);
                lockupProof().restart();
            } else {
                SPINNING_SINCE.setOpaque(this, now);
            }
        } else if (now - reportTs > machine.config().lockupTimeout().toNanos()) {
            reportLockup(now);
        } else if (proveLockups && !reportedThisWait() && lockupProof().proven()) {
            reportLockup(now);
        }
    }

    /**
     * Reports this wait: with IRQs on a soft lockup, again after every further threshold
     * ({@code watchdog_timer_fn()} restarts its report period); with IRQs off a hard lockup, once
     * ({@code hard_watchdog_warn}).
     */
    private void reportLockup(long now) {
        if (!irqsDisabled) {
            reportTs = now;
            machine.reports().softLockup(this, now - spinStart);
        } else if (!hardWatchdogWarn) {
            hardWatchdogWarn = true;
            machine.reports().hardLockup(this, now - spinStart);
        }
    }

    /** Whether this wait has been reported already (a soft lockup restarts the report period). */
    private boolean reportedThisWait() {
        return hardWatchdogWarn || reportTs != spinStart;
    }

    private LockupProof lockupProof() {
        if (lockupProof == null) {
            lockupProof = new LockupProof(machine, this);
        }
        return lockupProof;
    }

    /**
     * Stops this CPU at its next wait (the machine's {@code smpSendStop}); a thread parked as
     * this CPU is woken to see it.
     */
    public void stop(Report reason) {
        stopReason = reason;
        stopRequested = true;
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Where a waiting CPU meets the machine's {@code smpSendStop}; call it from the thread running
     * the CPU, in every wait that does not go through {@link #cpuRelax()}.
     *
     * @throws CpuStopped if the machine was stopped
     */
    public void checkStop() {
        if (stopRequested) {
            throw new CpuStopped(this, stopReason);
        }
    }

    /** Whether the machine's {@code smpSendStop} stopped this CPU; readable from any thread. */
    public boolean stopped() {
        return stopRequested;
    }

    @Override
    public void blockingWaitBegin() {
        if (tracer != null) tracer.trace(this, Tracepoint.SPIN, null, waitName());
        if (!irqsDisabled) {
            goIdle();
        }
    }

    @Override
    public void blockingWaitEnd() {
        if (!irqsDisabled) {
            resume();
        }
        recheckLockup = true;
    }

    /** Since when (System.nanoTime) the CPU has been spinning, or 0; readable from any thread. */
    public long spinningSince() {
        return (long) SPINNING_SINCE.getOpaque(this);
    }

    /**
     * How many periodic lockup checks the CPU has made, one per {@value #SPIN_CHECK_MASK} + 1
     * {@link #cpuRelax()} calls: the time it has spun, counted only while its thread runs, as the
     * cycle counter that drives the kernel's NMI watchdog counts only while the CPU runs.
     * Counted on machines with {@code lockup-proof} only (0 elsewhere). Readable from any thread.
     */
    public long relaxChecks() {
        return (long) RELAX_CHECKS.getAcquire(this);
    }

    /** {@link #spinningSince()} with acquire: {@link #waits()} read next is that wait's or later. */
    long spinningSinceAcquire() {
        return (long) SPINNING_SINCE.getAcquire(this);
    }

    /** How many waits the lockup detector has looked at on this CPU; readable from any thread. */
    long waits() {
        return (long) WAITS.getOpaque(this);
    }

    /** The last IPI request this CPU took, which grows with each IPI it takes; from any thread. */
    long ipiAcked() {
        return (long) IPI_ACKED.getAcquire(this);
    }

    /** How many times a thread has entered this CPU ({@link #enter()}); from any thread. */
    long entries() {
        return (long) ENTRIES.getAcquire(this);
    }

    /** What the CPU is spinning on (a lock's name, an IPI acknowledgement), or null. */
    public String spinningOn() {
        return spinningOn;
    }

    @Override
    public String toString() {
        return "CPU#" + id;
    }
}
