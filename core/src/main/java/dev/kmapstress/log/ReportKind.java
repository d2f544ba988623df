package dev.kmapstress.log;

/** The kinds of report the model's kernel log counts, each with the kernel's first words. */
public enum ReportKind {
    /** {@code BUG()}/{@code BUG_ON()}: an oops that stops the CPU's operation. */
    BUG("kernel BUG at"),
    /** {@code WARN_ON_ONCE()}: reported once per call site, execution goes on. */
    WARNING("WARNING:"),
    /** {@code might_sleep()} in atomic context; execution goes on. */
    SLEEP_IN_ATOMIC("BUG: sleeping function called from invalid context"),
    /** {@code schedule()} with a non-zero preempt_count; execution goes on. */
    SCHEDULE_WHILE_ATOMIC("BUG: scheduling while atomic"),
    /** An access through an unmapped kernel address: an oops. */
    PAGE_FAULT("BUG: unable to handle page fault for address"),
    /** A CPU spinning with IRQs enabled for longer than the lockup threshold; it spins on. */
    SOFT_LOCKUP("watchdog: BUG: soft lockup"),
    /** A CPU spinning with IRQs disabled for longer than the lockup threshold; it spins on. */
    HARD_LOCKUP("Watchdog detected hard LOCKUP"),
    /** A task in TASK_UNINTERRUPTIBLE for longer than the hung-task timeout; it sleeps on. */
    HUNG_TASK("INFO: task"),
    /** Data read through a mapping that does not match what was written (torture, tests). */
    DATA_MISMATCH("kmap-stress: data mismatch"),
    /** A lock-order or IRQ-state violation found by the lock validator. */
    LOCKDEP("WARNING: possible");

    private final String prefix;

    ReportKind(String prefix) {
        this.prefix = prefix;
    }

    /** The words the kernel's message of this kind starts with. */
    public String prefix() {
        return prefix;
    }

    /**
     * Whether a report of this kind stops the operation that caused it (an oops). Lockups and
     * hung tasks do not: as in the kernel, the CPU goes on waiting after the report.
     */
    public boolean fatal() {
        return this == BUG || this == PAGE_FAULT;
    }

    /** Whether it reports a hang (lockup, hung task): a wait that went on too long. */
    public boolean hang() {
        return this == SOFT_LOCKUP || this == HARD_LOCKUP || this == HUNG_TASK;
    }
}
