package dev.kmapstress.machine;

/**
 * The kinds of internal step a {@link Tracer} sees. Most are plain {@link #EVENT}s; the others
 * say when a CPU starts or stops waiting for another one, which is what a step-by-step replayer
 * needs to tell a CPU that is merely busy from one that cannot go on.
 */
public enum Tracepoint {
    /** A state change worth showing: a count, a PTE, a page address, a flush, a queue edit. */
    EVENT(true),
    /** About to acquire a spinlock (subject: the {@link dev.kmapstress.locking.Spinlock}); not shown. */
    LOCK_WAIT(false),
    /** A spinlock was acquired (subject: the lock). */
    LOCK(true),
    /** A spinlock was released (subject: the lock). */
    UNLOCK(true),
    /** About to wait for the acknowledgement of an IPI (subject: the target {@link Cpu}); not shown. */
    IPI_WAIT(false),
    /**
     * The wait announced by {@link #LOCK_WAIT} or {@link #IPI_WAIT} did not end at once: the CPU
     * spins ({@code cpu_relax()}, traced at every spin) or blocks for it; not shown. A replayer
     * calls a CPU stuck only after this, so a lock that excludes nothing never looks held.
     */
    SPIN(false),
    /** The IPI waited for was acknowledged; not shown (whether a wait was needed is timing). */
    IPI_DONE(false),
    /** This CPU took a TLB-flush IPI (traced on the receiving CPU). */
    IPI_ACK(true),
    /** The task went to sleep in schedule(); the CPU is idle until it is woken. */
    SLEEP(true),
    /** The task was woken and its schedule() returns. */
    WOKEN(true);

    private final boolean shown;

    Tracepoint(boolean shown) {
        this.shown = shown;
    }

    /** Whether the step is part of a human-readable trace (else it only informs replayers). */
    public boolean shown() {
        return shown;
    }
}
