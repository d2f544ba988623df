package dev.kmapstress.scenario;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.scenario.Script.Line;
import dev.kmapstress.scenario.Script.LogCheck;
import dev.kmapstress.scenario.Script.PageAddressCheck;
import dev.kmapstress.scenario.Script.Step;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs a {@link Script} on a fresh machine and prints one line per step, the step echoed and
 * its result after {@code = }; kernel-log reports follow the step that caused them, in the
 * kernel's words; with {@code trace}, the CPU's internal steps (locks, counts, PTEs, flushes,
 * IPIs, sleeps and wake-ups) are indented under their step.
 *
 * <pre>{@code
 * Script s = ScriptParser.parse("race.scenario", text, List.of());
 * ScenarioResult r = ScenarioRunner.run(s, false, new PrintWriter(System.out, true));
 * System.exit(r.exitCode());
 * }</pre>
 *
 * <p>The run stops at the first line that does not hold: an {@code expect} whose result
 * differs, a {@code wait} whose CPU cannot proceed, a step its CPU cannot take (it is blocked),
 * a step the model refuses, an {@code until} the step never reached, a step that oopses without
 * an {@code expect ... = oops}, or a step on a CPU whose task an oops killed (only
 * {@code cpuN task NAME} runs there after it).
 */
public final class ScenarioRunner {

    private static final String INDENT = "    ";

    private final Script script;
    private final boolean trace;
    private final PrintWriter out;
    private final Stepper stepper;
    /** Only records: expectations are not checked, page-address checks print what they saw. */
    private final boolean record;

    private ScenarioRunner(Script script, boolean trace, PrintWriter out, Stepper stepper,
            boolean record) {
        this.script = script;
        this.trace = trace;
        this.out = out;
        this.stepper = stepper;
        this.record = record;
    }

    /** Runs {@code script}, printing to {@code out}; the result says whether every line held. */
    public static ScenarioResult run(Script script, boolean trace, PrintWriter out) {
        try (Stepper stepper = new Stepper(script.config())) {
            return new ScenarioRunner(script, trace, out, stepper, false).run();
        } finally {
            out.flush();
        }
    }

    /**
     * Runs {@code script} to record what the model does, for a comparison with another
     * run of the same steps (kernel-check): no {@code expect} is judged, a page-address
     * check prints {@code page_address pK = RESULT}, and {@code expect log} lines are skipped.
     * The run still stops where a step cannot be done (its CPU is blocked, the model refuses).
     */
    public static ScenarioResult record(Script script, PrintWriter out) {
        try (Stepper stepper = new Stepper(script.config())) {
            return new ScenarioRunner(script, false, out, stepper, true).run();
        } finally {
            out.flush();
        }
    }

    private ScenarioResult run() {
        for (Line line : script.lines()) {
            String failure;
            if (line instanceof Step s) {
                failure = step(s);
            } else if (line instanceof PageAddressCheck c) {
                failure = pageAddress(c);
            } else {
                failure = record ? null : log((LogCheck) line);
            }
            if (failure != null) {
                return ScenarioResult.failed(script, line, failure);
            }
        }
        return ScenarioResult.PASSED;
    }

    private String step(Step s) {
        Outcome o;
        try {
            o = stepper.run(s);
        } catch (Stepper.StepFailure e) {
            return e.getMessage();
        }
        if (o.refusal() != null) {
            printReports();
            return "cannot be done: " + o.refusal();
        }
        out.println(s.echo() + " = " + o.result());
        if (trace) {
            o.trace().forEach(l -> out.println(INDENT + l));
        }
        List<Report> reports = printReports();
        if (o.missedUntil() != null) {
            return "the step ended without reaching '" + o.missedUntil() + "'";
        }
        if (!record && s.expected() != null && !s.expected().equals(o.result())) {
            return "saw " + o.result();
        }
        if (s.expected() == null && o.result().equals(Outcome.OOPS)) {
            return "the step oopsed (" + reports.stream().reduce((a, b) -> b).map(ScenarioRunner::headline)
                    .orElse("no report") + ") and no 'expect' says it should: write 'expect " + s.echo()
                    + " = oops' if it must";
        }
        return null;
    }

    /** Asks page_address on the lowest idle CPU; no line is printed for a check that holds. */
    private String pageAddress(PageAddressCheck c) {
        int cpu = stepper.idleCpu();
        if (cpu < 0) {
            return "every CPU is blocked or paused: none can look the page up";
        }
        Outcome o;
        try {
            o = stepper.run(new Step(c.line(), cpu, Op.PAGE_ADDRESS, c.page(), 0, null, List.of(), null, null));
        } catch (Stepper.StepFailure e) {
            return e.getMessage();
        }
        if (record) {
            out.println("page_address " + c.page() + " = " + o.result());
        }
        printReports();
        if (!record && !c.expected().equals(o.result())) {
            return "saw " + o.result() + (o.result().equals(Outcome.BLOCKED)
                    ? " (cpu" + cpu + " cannot look it up)" : "");
        }
        return null;
    }

    private String log(LogCheck c) {
        Machine m = stepper.machine();
        if (c.kind() == null) {
            long n = m.log().total();
            return n == 0 ? null : "the log has " + n + " report(s): " + m.log().countsByKind();
        }
        return m.log().count(c.kind()) > 0 ? null : "the log has no " + c.kind() + " report; it has "
                + (m.log().total() == 0 ? "none" : m.log().countsByKind().toString());
    }

    /** Prints the reports made since the last call and returns them. */
    private List<Report> printReports() {
        List<Report> reports = stepper.drainReports();
        for (Report r : reports) {
            String head = headline(r);
            out.println(head);
            if (trace) {
                r.lines().stream().filter(l -> !l.equals(head) && !l.contains("[ cut here ]"))
                        .forEach(l -> out.println(INDENT + l));
            }
        }
        return reports;
    }

    /** The line of a report that says what happened, in the kernel's words. */
    static String headline(Report r) {
        ReportKind k = r.kind();
        return r.lines().stream().filter(l -> l.contains(k.prefix())).findFirst()
                .orElse(r.headline());
    }
}
