package dev.kmapstress.log;

/**
 * Thrown where the kernel would oops (BUG, page fault) or where a watchdog turns a hang into a
 * failure (lockup, hung task). It carries the report that was logged; the machine is left as
 * it was at that moment, so a test or the CLI can inspect it.
 */
public final class Oops extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Report report;

    public Oops(Report report) {
        super(report.text());
        this.report = report;
    }

    /** The report this oops logged. */
    public Report report() {
        return report;
    }

    /** Its kind. */
    public ReportKind kind() {
        return report.kind();
    }
}
