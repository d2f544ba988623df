package dev.kmapstress.machine;

/**
 * A spinning CPU's proof that its wait can never end, for machines with {@code lockup-proof}:
 * the lockup detector then reports at once, in the same words, what its threshold would report
 * later. Decided from what the CPUs do, never from time, so that a CPU thread the host keeps off
 * the processor (a descheduled vCPU, a lock holder preempted on a loaded host) proves nothing.
 *
 * <p>Why it holds. A spinning CPU's wait ends only through another CPU: a lock released, an IPI
 * taken, a list edited, a task woken. In the model all of that is done outside a wait, except
 * taking IPIs, which moves the taker's {@link Cpu#ipiAcked()}. A CPU that no thread runs owes no
 * IPI (a shootdown does not wait for it) and holds no lock unless an oops left it held, which
 * nothing releases; a harness that leaves a CPU holding a lock, to come back later and release
 * it, must not ask for the proof. So once every other CPU either spins in one wait that it does
 * not leave and takes no IPI, or has no thread running it, no CPU is left to end anyone's wait,
 * and the spinner (which takes no IPI either) is stuck for good: a deadlock, an IPI sent to a CPU
 * spinning with IRQs off, a list walk that never ends. A CPU spinning in one wait long enough has
 * also re-tested its own condition all that time, so a wait that could end by the moves of other
 * waiters alone (a queue lock's hand-over, a successor linking itself) has ended before the
 * proof completes.
 *
 * <p>Algorithm. The spinner notes every CPU's state at its wait's first lockup check and again
 * whenever it sees a CPU make progress ({@link #restart}); at each further check it compares
 * ({@link #proven}). Progress is: a CPU outside any wait (working, or descheduled anywhere but a
 * spin: it may come back and release something), a different wait ({@link Cpu#waits()} or
 * {@link Cpu#spinningSince()} changed), an IPI taken, a thread entering a CPU that had none. A
 * note is read one CPU after another, so the first comparison that finds no progress only
 * confirms it (a double collect: there was then a moment at which every CPU was as noted) and
 * takes each CPU's check count from there; checks made before that moment never count, such as
 * those of a CPU that spun while the spinner, descheduled halfway through its note, had not yet
 * seen another CPU release what that CPU waits for. The wait is proven when, since the
 * confirmation, no CPU made progress, and each spinning CPU, the spinner included, ran
 * {@link #CHECKS} periodic lockup checks of its own ({@link Cpu#relaxChecks()}, 1,024
 * cpu_relax() each). A CPU that the host does not run makes no checks, so it holds the proof
 * back until it runs again. A wait that blocks holds it back while blocked: a JVM lock's slices
 * run one cpu_relax() per wake-up and so prove nothing before the timeout reports them; pv_wait
 * halts between spins of SPIN_THRESHOLD cpu_relax() (32 checks), so a paravirt waiter counts only
 * while it spins. Sleeps (hung tasks) prove nothing: the sleeper is outside any wait.
 *
 * <p>What it assumes of the model's waits, and of a user's lock: a wait re-tests its condition
 * at least once per check (1,024 cpu_relax()); a spin that ends by counting either lasts less
 * than a check (qspinlock's 512-spin pending loop) or only goes on waiting (spin-then-park parks
 * or sleeps after its 1,024 spins); and a waiter makes no store that could end another CPU's
 * wait before its own condition holds, except in the steps before its first check (an MCS
 * successor linking itself), while its start is still unnoted. A lock that backs off for
 * thousands of cpu_relax() between two looks, or gives up after as many, breaks this: the proof
 * could report it.
 *
 * <p>Only the thread running the spinning CPU uses its proof; other CPUs' fields are read racily
 * (opaque, acquire) and every mismatch counts as progress, so a torn look only delays a proof.
 */
final class LockupProof {

    /**
     * Periodic lockup checks each spinning CPU must make within one unbroken look: more than the
     * one a spin-then-park wait can span (1,024 spins), and each stands for 1,024 re-tests of the
     * CPU's condition; 8 are about 8,000 cpu_relax() calls, against seconds for the threshold.
     */
    static final int CHECKS = 8;

    private final MachineContext machine;
    private final Cpu self;
    /** Per CPU, as last noted: whether no thread ran it, and how many threads had entered it. */
    private final boolean[] out;
    private final long[] entries;
    /** Per CPU, as last noted: the start and number of its wait (start 0: it was not waiting). */
    private final long[] since;
    private final long[] waits;
    /**
     * Per CPU, as last noted: its periodic lockup checks (from the confirmation on: as the
     * confirmation read them) and the last IPI it took.
     */
    private final long[] checks;
    private final long[] acked;
    /** Whether a comparison has found every CPU as last noted (see the class comment). */
    private boolean confirmed;

    LockupProof(MachineContext machine, Cpu self) {
        int n = machine.nrCpus();
        this.machine = machine;
        this.self = self;
        this.out = new boolean[n];
        this.entries = new long[n];
        this.since = new long[n];
        this.waits = new long[n];
        this.checks = new long[n];
        this.acked = new long[n];
    }

    /** Notes every CPU's state now: the look starts again from here, once confirmed. */
    void restart() {
        confirmed = false;
        for (int i = 0; i < out.length; i++) {
            Cpu c = machine.cpu(i);
            // Entries before owner: a thread entering after the first read either shows as the
            // owner or has moved entries past the noted count when it leaves. Start before
            // number: a start read with acquire comes with its own wait's number or a later one.
            // Checks last; the confirmation replaces them (see proven()).
            entries[i] = c.entries();
            out[i] = c != self && c.owner() == null;
            since[i] = c.spinningSinceAcquire();
            waits[i] = c.waits();
            acked[i] = c.ipiAcked();
            checks[i] = c.relaxChecks();
        }
    }

    /**
     * Whether no CPU can end the spinner's wait any more; when a CPU made progress since the
     * last note, notes again and says no, and so does the comparison that confirms a note.
     */
    boolean proven() {
        boolean longEnough = true;
        for (int i = 0; i < out.length; i++) {
            Cpu c = machine.cpu(i);
            // Checks first (acquire): whatever the CPU did before the checks seen here (left its
            // wait, took an IPI) is then seen by the comparison that follows.
            long seen = c.relaxChecks();
            if (!unchanged(i, c)) {
                restart();
                return false;
            }
            if (confirmed) {
                longEnough &= out[i] || seen - checks[i] >= CHECKS;
            } else {
                checks[i] = seen;
            }
        }
        if (!confirmed) {
            confirmed = true;
            return false;
        }
        return longEnough;
    }

    /** Whether CPU {@code i} is as noted: still without a thread, or in one wait, taking no IPI. */
    private boolean unchanged(int i, Cpu c) {
        if (out[i]) {
            return c.owner() == null && c.entries() == entries[i];
        }
        long s = c.spinningSinceAcquire();
        return s != 0 && s == since[i] && c.waits() == waits[i] && c.ipiAcked() == acked[i];
    }
}
