package dev.kmapstress.jcstress.suite;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.suite.Selection.Role;
import dev.kmapstress.jcstress.support.NegativeControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The suite's summary as Markdown: where and how it ran, then per faithful test its samples,
 * outcomes and verdict, per negative control what it broke, whether it was caught and how
 * many samples that took, and the faults left to other instruments. Written atomically.
 */
final class Summary {

    /** Outcomes listed per test; a broken lock's lost-update counts alone run into dozens. */
    private static final int SHOWN = 6;

    private final StringBuilder md = new StringBuilder();

    /** Builds the summary of one run. */
    Summary(Suite.Kind kind, String settings, String command, List<Duration> passTimes, String load, List<Verdict> verdicts,
            String machine) {
        long failed = verdicts.stream().filter(v -> !v.ok()).count();
        line("# JCStress suite: " + kind.name().toLowerCase(Locale.ROOT) + " run");
        line("");
        line("- Verdict: **" + (failed == 0 ? "PASS" : "FAIL (" + failed + " tests)") + "**, "
                + verdicts.stream().filter(v -> v.samples() > 0).count() + " of " + verdicts.size()
                + " selected tests ran");
        line("- Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        line("- Machine: " + machine);
        line("- JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version"));
        line("- JCStress 0.16: `" + settings + "`");
        line("- Wall time: " + wall(passTimes).toSeconds() + " s" + (passTimes.size() < 2 ? "" : passTimes.stream()
                .map(t -> t.toSeconds() + " s").collect(Collectors.joining(", ", " (each JCStress run in turn: ", ")"))));
        line("- Load average (1 min): " + load);
        line("- Command: `" + command + "`");
        line("- Reproduce: " + kind.command());
        line("- Density: " + density(verdicts, false, Role.FAITHFUL.aim()) + "; "
                + density(verdicts, true, Role.CONTROL.aim()));
        faithful(verdicts);
        controls(verdicts);
        elsewhere(verdicts);
    }

    /** How many faithful tests (or controls) reached {@code aim} samples, and the sparsest one. */
    private static String density(List<Verdict> verdicts, boolean controls, long aim) {
        List<Verdict> of = verdicts.stream().filter(v -> (v.entry().role() == Role.CONTROL) == controls
                && v.entry().role() != Role.NARROW).toList();
        if (of.isEmpty()) {
            return "no " + (controls ? "controls" : "faithful tests");
        }
        Verdict sparsest = of.stream().min(Comparator.comparingLong(Verdict::samples)).orElseThrow();
        return (controls ? "controls" : "faithful tests") + " with at least " + n(aim) + " samples: "
                + of.stream().filter(v -> v.samples() >= aim).count() + " of " + of.size() + " (fewest: "
                + sparsest.entry().simpleName() + ", " + n(sparsest.samples()) + ")";
    }

    private void faithful(List<Verdict> verdicts) {
        line("");
        line("## Faithful tests (no forbidden outcome allowed)");
        line("");
        line("| test | samples | outcomes (count, grading) | verdict |");
        line("|---|---:|---|---|");
        for (Verdict v : verdicts) {
            if (v.entry().role() == Role.FAITHFUL || v.entry().role() == Role.BENIGN) {
                String name = v.entry().simpleName() + (v.entry().role() == Role.BENIGN ? " (benign fault)" : "");
                line("| " + name + " | " + n(v.samples()) + " | " + outcomes(v) + " | " + verdict(v) + " |");
            }
        }
    }

    private void controls(List<Verdict> verdicts) {
        line("");
        line("## Negative controls (a forbidden outcome the race names required)");
        line("");
        line("A control counts as caught only by a forbidden outcome its race names with its own `@Outcome` id;"
                + " the catch-all for everything else (e.g. a lockup next to a peer's oops) is shown but does not count.");
        line("");
        line("| breakage | control (race of) | samples | named forbidden | 1 in | outcomes | verdict |");
        line("|---|---|---:|---:|---:|---|---|");
        for (Verdict v : verdicts) {
            if (v.entry().role() == Role.CONTROL) {
                NegativeControl c = v.entry().control();
                line("| " + breakage(c) + " | " + v.entry().simpleName() + " (" + c.of().getSimpleName() + ") | "
                        + n(v.samples()) + " | " + n(v.named()) + " | "
                        + (v.named() == 0 ? "-" : n(v.samples() / v.named())) + " | " + outcomes(v)
                        + " | " + (v.ok() ? "caught" + inPasses(v) : "**NOT CAUGHT**") + " |");
            }
        }
    }

    private void elsewhere(List<Verdict> verdicts) {
        line("");
        line("## Faults JCStress does not judge (left to other instruments)");
        line("");
        line("| fault | why | tried here | instrument that should catch it |");
        line("|---|---|---|---|");
        for (Map.Entry<Fault, Coverage.Elsewhere> e : Coverage.elsewhere().entrySet()) {
            line("| " + e.getKey() + " | " + e.getValue().reason() + " | " + tried(verdicts, e.getKey())
                    + " | " + e.getValue().instrument() + " |");
        }
    }

    /** What the run's NARROW tests of {@code f} saw, or "-". */
    private static String tried(List<Verdict> verdicts, Fault f) {
        StringBuilder sb = new StringBuilder();
        for (Verdict v : verdicts) {
            if (v.entry().role() == Role.NARROW && Coverage.controls(v, f)) {
                sb.append(sb.length() == 0 ? "" : "<br>").append(v.entry().simpleName()).append(": ")
                        .append(n(v.forbidden())).append(" forbidden in ").append(n(v.samples())).append(" samples");
            }
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    /** Writes the summary to {@code file} through a temporary file and an atomic rename. */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, md);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String breakage(NegativeControl c) {
        return c.lock().isEmpty() ? c.fault()[0].name() : "lock " + c.lock();
    }

    /** The most frequent outcomes, then how many more there were. */
    private static String outcomes(Verdict v) {
        StringBuilder sb = new StringBuilder();
        List<Verdict.Observed> shown = v.outcomes().subList(0, Math.min(SHOWN, v.outcomes().size()));
        for (Verdict.Observed o : shown) {
            sb.append(sb.length() == 0 ? "" : "<br>").append('`').append(o.id()).append("` ")
                    .append(n(o.count())).append(' ').append(o.expect().name().toLowerCase(Locale.ROOT));
        }
        long rest = v.outcomes().stream().skip(SHOWN).mapToLong(Verdict.Observed::count).sum();
        if (v.outcomes().size() > SHOWN) {
            sb.append("<br>… ").append(v.outcomes().size() - SHOWN).append(" more outcomes, ")
                    .append(n(rest)).append(" samples");
        }
        return sb.toString();
    }

    private static String verdict(Verdict v) {
        return v.ok() ? "ok" + inPasses(v) : "**FAIL**: " + v.problem();
    }

    /** " in N passes" for a test a retry ran again, else nothing. */
    private static String inPasses(Verdict v) {
        return v.passes() > 1 ? " in " + v.passes() + " passes" : "";
    }

    private static String n(long x) {
        return String.format(Locale.ROOT, "%,d", x);
    }

    /** A run's wall time: the sum of its JCStress runs' times. */
    static Duration wall(List<Duration> passTimes) {
        return passTimes.stream().reduce(Duration.ZERO, Duration::plus);
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
