package dev.kmapstress.scenario;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.Report;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import dev.kmapstress.scenario.Script.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a machine's CPUs as real threads, one per CPU, and hands them steps one at a time, so
 * that a script is one deterministic interleaving of the model's real code.
 *
 * <p>A step runs on its CPU's thread until it finishes, or until its CPU cannot go on: its task
 * sleeps in schedule() (a kmap on a full window), it spins on a lock that a CPU which is not
 * running holds, it waits for an IPI acknowledgement from a CPU whose IRQs are off, or it
 * reached its {@code until} point. That CPU is then blocked (or paused) and the next step runs;
 * {@link #run} of a {@code wait} step resumes it.
 *
 * <p>Algorithmic notes. The stepper is the machine's {@link Tracer}: every internal step of
 * every CPU passes through {@link #trace}, on that CPU's thread, under one monitor. Exactly one
 * CPU at a time may run ({@code mayRun}); any other CPU that reaches a tracepoint is held there
 * (its IRQs on: as an idle CPU, so IPIs sent to it count as taken and are applied when it
 * resumes). Which CPUs can still move while one runs? Only a CPU spinning on a lock (it takes
 * the lock when it is freed, and is held at once by the tracepoint that follows) and a CPU
 * spinning with IRQs on, which acknowledges IPIs. Neither changes anything the running CPU
 * could observe in a different order from run to run, with a FIFO lock (the default ticket
 * lock). Blocking is decided from the model's state, never from time: the task's state is
 * TASK_UNINTERRUPTIBLE after its CPU reported the sleep; the CPU reported that its wait did not
 * end at once ({@link Tracepoint#SPIN}: it called cpu_relax() or blocked, so a lock that excludes
 * nothing never looks held) and the spinlock waited for has a holder (which, not being the
 * running CPU, cannot release it) or the CPU whose acknowledgement is awaited has IRQs disabled.
 * Each of these can only become true through a tracepoint or a finished step, both of which
 * notify the monitor; the runner's wait still has a deadline ({@link #STEP_DEADLINE}), so a CPU
 * that spins where no tracepoint sees it fails the scenario instead of hanging it. The CPU
 * threads wait for the runner and end when it closes the stepper.
 */
final class Stepper implements Tracer, AutoCloseable {

    /** Thrown where a CPU thread waiting on the stepper is interrupted: unwinds it. */
    static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super("scenario ended", null, false, false);
        }
    }

    /** A step that cannot be performed in the CPU's current state. */
    static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailure(String message) {
            super(message);
        }
    }

    private enum State { IDLE, RUNNING, BLOCKED, PAUSED }

    /** One CPU's thread and its hand-off state; every field is guarded by the stepper's monitor. */
    private final class CpuThread implements Runnable {
        final Cpu cpu;
        final Thread thread;
        State state = State.IDLE;
        Step mailbox;
        boolean finished;
        String result;
        String refusal;
        boolean mayRun;
        boolean paused;
        boolean asleep;
        Object waitingOn;
        /** It reported ({@link Tracepoint#SPIN}) that the wait on {@code waitingOn} did not end at once. */
        boolean spinning;
        /** Whether this wait's first spin was reported; only the CPU's own thread uses it. */
        boolean spinSeen;
        boolean irqsOff;
        String until;
        boolean resumingFromHold;
        int sinceLine;
        /** The line of the step whose oops killed the CPU's task, or 0; with that oops' headline. */
        int oopsLine;
        String oops;
        final List<String> trace = new ArrayList<>();

        CpuThread(Cpu cpu) {
            this.cpu = cpu;
            this.thread = new Thread(this, "scenario-cpu" + cpu.id());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try (Cpu.Scope scope = cpu.enter()) {
                for (Step step = nextStep(this); step != null; step = nextStep(this)) {
                    String res = null;
                    String refused = null;
                    try {
                        res = executor.run(cpu, step);
                    } catch (Oops e) {
                        res = Outcome.OOPS;
                    } catch (Abort | CpuStopped e) {
                        return;
                    } catch (RuntimeException | Error e) {
                        refused = e.getMessage() == null ? e.toString() : e.getMessage();
                    }
                    stepDone(this, res, refused);
                }
            } catch (Abort e) {
                // Interrupted while waiting for a step: nothing left to do.
            }
        }
    }

    /**
     * How long the runner waits for a step to finish or block. A step is one kernel function on
     * a small machine (microseconds); a CPU still busy after this is livelocked or spinning
     * where no tracepoint sees it, and the scenario fails with that CPU's stack.
     */
    static final Duration STEP_DEADLINE = Duration.ofSeconds(30);

    private final Object lock = new Object();
    private final Machine machine;
    private final Executor executor;
    private final CpuThread[] threads;
    private final List<Report> reports = new ArrayList<>();
    private boolean stopping;

    Stepper(MachineConfig config) {
        this.machine = Machine.build(config, this);
        this.executor = new Executor(machine);
        this.threads = new CpuThread[machine.nrCpus()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new CpuThread(machine.cpu(i));
        }
        machine.log().addListener(r -> {
            synchronized (lock) {
                reports.add(r);
            }
        });
        for (CpuThread t : threads) {
            t.thread.start();
        }
    }

    Machine machine() {
        return machine;
    }

    // ------------------------------------------------------------------ the runner's side

    /**
     * Performs {@code step} (a {@code wait}: resumes its CPU) and returns when it finished or
     * its CPU is blocked or paused.
     *
     * @throws StepFailure if the CPU is not in a state that allows the step
     */
    Outcome run(Step step) throws StepFailure {
        synchronized (lock) {
            CpuThread t = threads[step.cpu()];
            refuseAfterOops(t, step);
            if (step.op() == Op.WAIT) {
                resume(t, step);
            } else {
                start(t, step);
            }
            t.state = State.RUNNING;
            t.mayRun = true;
            lock.notifyAll();
            String res = awaitVerdict(t, step);
            t.mayRun = false;
            t.state = switch (res) {
                case Outcome.BLOCKED -> State.BLOCKED;
                case Outcome.PAUSED -> State.PAUSED;
                default -> State.IDLE;
            };
            t.sinceLine = step.line();
            if (res.equals(Outcome.OOPS)) {
                t.oopsLine = step.line();
                t.oops = lastReportOf(t);
            } else if (step.op() == Op.TASK && res.equals(Executor.OK)) {
                t.oopsLine = 0;
                t.oops = null;
            }
            String missed = t.state == State.IDLE ? t.until : null;
            if (t.state == State.IDLE) {
                t.until = null;
            }
            Outcome o = new Outcome(res, t.trace, t.refusal, missed);
            t.trace.clear();
            t.refusal = null;
            return o;
        }
    }

    /**
     * An oops kills the task that made it (the kernel's make_task_dead()), with whatever it held
     * still held: the CPU can only switch to another task. Any other step would run the dead
     * task's leftover state (a kmap_local stack mid-push, a count mid-update) as if it were alive.
     */
    private void refuseAfterOops(CpuThread t, Step step) throws StepFailure {
        if (t.oopsLine != 0 && step.op() != Op.TASK) {
            throw new StepFailure("cpu" + t.cpu.id() + "'s task " + t.cpu.current().name()
                    + " died in the oops at line " + t.oopsLine + " (" + t.oops + "): only 'cpu"
                    + t.cpu.id() + " task NAME' (another task) can run on cpu" + t.cpu.id() + " after it");
        }
    }

    /** The headline of the newest kernel-log report made on {@code t}'s CPU. */
    private String lastReportOf(CpuThread t) {
        for (int i = reports.size() - 1; i >= 0; i--) {
            if (reports.get(i).cpu() == t.cpu.id()) {
                return ScenarioRunner.headline(reports.get(i));
            }
        }
        return "no report";
    }

    /** The lowest CPU that is between steps, or -1: where machine-wide checks are asked. */
    int idleCpu() {
        synchronized (lock) {
            for (CpuThread t : threads) {
                if (t.state == State.IDLE) {
                    return t.cpu.id();
                }
            }
            return -1;
        }
    }

    /** The kernel-log reports made since the last call, oldest first. */
    List<Report> drainReports() {
        synchronized (lock) {
            List<Report> r = List.copyOf(reports);
            reports.clear();
            return r;
        }
    }

    private void start(CpuThread t, Step step) throws StepFailure {
        if (t.state != State.IDLE) {
            throw new StepFailure("cpu" + t.cpu.id() + " is " + t.state.name().toLowerCase()
                    + " since line " + t.sinceLine + ": only 'cpu" + t.cpu.id() + " wait' continues it");
        }
        t.mailbox = step;
        t.until = step.until();
    }

    private void resume(CpuThread t, Step step) throws StepFailure {
        if (t.state == State.IDLE) {
            throw new StepFailure("cpu" + t.cpu.id() + " is not blocked or paused: nothing to wait for");
        }
        String why = cannotProceed(t);
        if (why != null) {
            throw new StepFailure("cpu" + t.cpu.id() + " cannot proceed: " + why);
        }
        t.paused = false;
        if (step.until() != null) {
            t.until = step.until();
        }
    }

    private String awaitVerdict(CpuThread t, Step step) throws StepFailure {
        long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
        for (;;) {
            if (t.finished) {
                t.finished = false;
                return t.result == null ? "" : t.result;
            }
            if (t.paused) {
                return Outcome.PAUSED;
            }
            if (sleeping(t) || spinBlocker(t) != null) {
                return Outcome.BLOCKED;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StepFailure("cpu" + t.cpu.id() + " neither finished line " + step.line()
                        + " nor blocked within " + STEP_DEADLINE.toSeconds() + " s; its thread is at "
                        + stackOf(t.thread));
            }
            waitOnLock(left);
        }
    }

    private static String stackOf(Thread thread) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : thread.getStackTrace()) {
            sb.append("\n    at ").append(e);
        }
        return sb.toString();
    }

    private boolean sleeping(CpuThread t) {
        return t.asleep && t.cpu.current().state() != Task.TASK_RUNNING;
    }

    /** What a spinning CPU waits for that no running CPU can give, or null. */
    private String spinBlocker(CpuThread t) {
        if (!t.spinning) {
            return null;
        }
        if (t.waitingOn instanceof Spinlock l) {
            // A holder equal to the CPU itself is the moment between its acquisition and its
            // LOCK tracepoint (no CPU asks for a lock it holds: an oops with a lock held kills
            // the task, and no step runs on it after that).
            int h = l.holder();
            if (h >= 0 && h != t.cpu.id()) {
                return l.name() + " held by CPU#" + h;
            }
        }
        if (t.waitingOn instanceof Cpu target && threads[target.id()].irqsOff) {
            return "an IPI acknowledgement from CPU#" + target.id() + ", which has IRQs disabled";
        }
        return null;
    }

    private String cannotProceed(CpuThread t) {
        if (t.finished || t.paused) {
            return null;
        }
        if (sleeping(t)) {
            return "task " + t.cpu.current() + " sleeps in TASK_UNINTERRUPTIBLE (since line "
                    + t.sinceLine + ") and nothing woke it";
        }
        String spin = spinBlocker(t);
        return spin == null ? null : "it spins waiting for " + spin + " (since line " + t.sinceLine + ")";
    }

    // ------------------------------------------------------------------ the CPU threads' side

    private Step nextStep(CpuThread t) {
        Step step;
        boolean idle;
        synchronized (lock) {
            t.irqsOff = t.cpu.irqsDisabled();
            idle = !t.irqsOff;
            if (idle) {
                t.cpu.goIdle();
            }
            while (t.mailbox == null && !stopping) {
                waitOnLock();
            }
            step = t.mailbox;
            t.mailbox = null;
        }
        if (step != null && idle) {
            t.cpu.resume();
        }
        return step;
    }

    private void stepDone(CpuThread t, String result, String refusal) {
        synchronized (lock) {
            t.irqsOff = t.cpu.irqsDisabled();
            // An oops can end a step inside a sleep or a spin: nothing is waited for any more.
            t.asleep = false;
            t.waitingOn = null;
            t.spinning = false;
            t.result = result;
            t.refusal = refusal;
            t.finished = true;
            lock.notifyAll();
        }
    }

    @Override
    public void trace(Cpu cpu, Tracepoint point, Object subject, String text) {
        if (threads == null) {
            return; // the machine is still being built: no CPU runs yet
        }
        CpuThread t = threads[cpu.id()];
        if (point == Tracepoint.SPIN && t.spinSeen) {
            return; // every spin of a wait after its first: nothing new, and no monitor per spin
        }
        synchronized (lock) {
            t.irqsOff = cpu.irqsDisabled();
            switch (point) {
                case LOCK_WAIT, IPI_WAIT -> {
                    t.waitingOn = subject;
                    t.spinning = false;
                    t.spinSeen = false;
                    return;
                }
                case SPIN -> {
                    t.spinning = t.waitingOn != null;
                    t.spinSeen = t.spinning;
                    lock.notifyAll();
                    return;
                }
                case IPI_ACK -> {
                    // A spinning CPU taking an IPI changes nothing the running CPU sees in order,
                    // and a held one took it while it was held: when exactly is timing.
                    if (!t.mayRun || t.resumingFromHold) {
                        return;
                    }
                }
                case LOCK, IPI_DONE -> {
                    t.waitingOn = null;
                    t.spinning = false;
                }
                default -> { }
            }
            if (!t.mayRun) {
                hold(t);
            }
            if (point == Tracepoint.SLEEP) {
                t.asleep = true;
                lock.notifyAll();
            } else if (point == Tracepoint.WOKEN) {
                t.asleep = false;
            }
            if (point.shown()) {
                t.trace.add(text);
                if (t.until != null && startsWithWords(text, t.until)) {
                    t.until = null;
                    t.paused = true;
                    hold(t);
                }
            }
        }
    }

    /**
     * Holds the calling CPU until it may run again; a running CPU with IRQs on is idle meanwhile
     * (a CPU held inside schedule() is idle already, and schedule() resumes it).
     */
    private void hold(CpuThread t) {
        boolean idle = !t.cpu.irqsDisabled() && t.cpu.running();
        if (idle) {
            t.cpu.goIdle();
        }
        lock.notifyAll();
        while ((!t.mayRun || t.paused) && !stopping) {
            waitOnLock();
        }
        if (idle) {
            t.resumingFromHold = true;
            try {
                t.cpu.resume();
            } finally {
                t.resumingFromHold = false;
            }
        }
    }

    private void waitOnLock() {
        waitOnLock(0);
    }

    /** Waits on the monitor for at most {@code nanos} (0: until notified or interrupted). */
    private void waitOnLock(long nanos) {
        try {
            lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abort();
        }
    }

    static boolean startsWithWords(String line, String prefix) {
        String[] have = line.trim().split("\\s+");
        String[] want = prefix.trim().split("\\s+");
        if (want.length > have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!have[i].equals(want[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ends the run: the machine is stopped ({@code smp_send_stop}), so a CPU that sleeps or
     * spins ends at once, and no CPU is held any more, so the others run to the end of their
     * current step and their threads end. (Lockups and hung tasks are reports: the model's
     * detectors never end a wait.)
     */
    @Override
    public void close() {
        synchronized (lock) {
            stopping = true;
            machine.smpSendStop(null);
            lock.notifyAll();
        }
    }
}
