package dev.kmapstress.log;

/**
 * Thrown where the kernel would oops (BUG, page fault). It carries the report that was logged;
 * the machine is left as it was at that moment, so a test or the CLI can inspect it. Lockups and
 * hung tasks are never thrown: they are reports and the CPU goes on.
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
