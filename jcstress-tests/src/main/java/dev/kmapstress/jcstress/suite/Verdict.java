package dev.kmapstress.jcstress.suite;

import dev.kmapstress.jcstress.suite.Selection.Entry;
import dev.kmapstress.jcstress.suite.Selection.Role;
import dev.kmapstress.jcstress.support.NegativeControl;
import dev.kmapstress.jcstress.support.SmallMachine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.StateCase;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.TestInfo;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;
import org.openjdk.jcstress.infra.grading.TestGrading;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * What one selected test showed, read from JCStress's binary result file and graded by
 * JCStress's own rules, and whether that is what its {@link Role} requires.
 *
 * @param entry the test
 * @param samples samples over all its forks and JVM modes (0: it did not run)
 * @param outcomes every observed outcome, most frequent first
 * @param forbidden samples with an outcome graded FORBIDDEN
 * @param named samples with a FORBIDDEN outcome the test names with its own {@code @Outcome} id
 *        (not the catch-all for everything else): the failures a control must show
 * @param problem why the test fails the suite, or null
 */
record Verdict(Entry entry, long samples, List<Observed> outcomes, long forbidden, long named, String problem) {

    /** One observed outcome: its text, count, grading and the test's description of it. */
    record Observed(String id, long count, Expect expect, String description) {
    }

    boolean ok() {
        return problem == null;
    }

    /** Reads {@code resultFile} and judges every entry of {@code selection}. */
    static List<Verdict> judge(Selection selection, Path resultFile) throws IOException {
        Map<String, TestResult> byName = read(resultFile);
        Map<String, Verdict> byTest = new LinkedHashMap<>();
        for (Entry e : selection.entries()) {
            byTest.put(e.name(), judge(e, byName.get(e.name())));
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (Verdict v : byTest.values()) {
            NegativeControl c = v.entry().control();
            String detectors = c == null ? null
                    : detectorProblem(Selection.load(v.entry().name()), c, byTest.get(c.of().getName()));
            verdicts.add(detectors == null || !v.ok() ? v
                    : new Verdict(v.entry(), v.samples(), v.outcomes(), v.forbidden(), v.named(), detectors));
        }
        return verdicts;
    }

    /**
     * Why control {@code type} (marked {@code c}) proves nothing with its detectors, or null: a
     * control must run with exactly its faithful race's lockup and hung-task detectors, and a
     * detector shorter than {@link SmallMachine#DETECTORS} counts only if that faithful race
     * ({@code twin}: its verdict in the same run, null if it did not run) stayed clean with it.
     * The lockup proof needs no check here: every {@link SmallMachine} has it on.
     */
    static String detectorProblem(Class<?> type, NegativeControl c, Verdict twin) {
        Duration mine = SmallMachine.detectorsOf(type);
        Duration race = SmallMachine.detectorsOf(c.of());
        if (!mine.equals(race)) {
            return "runs with " + mine.toMillis() + " ms detectors and its faithful race " + c.of().getSimpleName()
                    + " with " + race.toMillis() + " ms: a hang caught only under a setting the faithful race"
                    + " never ran with proves nothing";
        }
        if (mine.compareTo(SmallMachine.DETECTORS) >= 0) {
            return null;
        }
        if (twin == null || twin.samples() == 0 || !twin.ok()) {
            return "its detectors are shortened to " + mine.toMillis() + " ms, which counts only beside its"
                    + " faithful race " + c.of().getSimpleName() + " run clean with them in the same run, and that race "
                    + (twin == null || twin.samples() == 0 ? "did not run" : "failed: " + twin.problem());
        }
        return null;
    }

    private static Verdict judge(Entry e, TestResult r) {
        if (r == null || r.getTotalCount() == 0) {
            return new Verdict(e, 0, List.of(), 0, 0, "did not run (no samples): skipped by JCStress"
                    + " or its fork died; see the JCStress output above");
        }
        TestGrading g = r.grading();
        TestInfo info = TestList.getInfo(e.name());
        List<Observed> outcomes = new ArrayList<>();
        long forbidden = 0;
        long named = 0;
        for (GradingResult gr : g.gradingResults.values()) {
            if (gr.count > 0) {
                outcomes.add(new Observed(gr.id, gr.count, gr.expect, gr.description));
                forbidden += gr.expect == Expect.FORBIDDEN ? gr.count : 0;
                named += gr.expect == Expect.FORBIDDEN && caseOf(info, gr.id) != info.unmatched() ? gr.count : 0;
            }
        }
        outcomes.sort(Comparator.comparingLong(Observed::count).reversed());
        return new Verdict(e, r.getTotalCount(), outcomes, forbidden, named, problem(e, r, g, forbidden, named));
    }

    /** The {@code @Outcome} JCStress grades {@code id} by: an exact id first, then the first pattern. */
    private static StateCase caseOf(TestInfo info, String id) {
        for (StateCase c : info.cases()) {
            if (c.matchesExactly(id)) {
                return c;
            }
        }
        for (StateCase c : info.cases()) {
            if (c.matches(id)) {
                return c;
            }
        }
        return info.unmatched();
    }

    private static String problem(Entry e, TestResult r, TestGrading g, long forbidden, long named) {
        if (r.status() != Status.NORMAL) {
            return "JCStress status " + r.status() + ": " + String.join(" | ", r.getMessages());
        }
        boolean unknown = g.gradingResults.values().stream()
                .anyMatch(gr -> gr.count > 0 && gr.expect == Expect.UNKNOWN);
        if (unknown) {
            return "an outcome no @Outcome describes";
        }
        return switch (e.role()) {
            case CONTROL -> named > 0 ? null : "not caught: no forbidden outcome the race names in "
                    + r.getTotalCount() + " samples" + (forbidden > 0 ? " (" + forbidden + " others)" : "");
            case NARROW -> null;
            case FAITHFUL, BENIGN -> forbidden == 0 ? null : "forbidden outcome seen " + forbidden + " times";
        };
    }

    private static Map<String, TestResult> read(Path file) throws IOException {
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(file.toString(), collector);
        try {
            reader.dump();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot read JCStress results " + file + ": " + e.getMessage(), e);
        } finally {
            reader.close();
        }
        Map<String, TestResult> byName = new HashMap<>();
        for (TestResult r : ReportUtils.mergedByName(collector.getTestResults())) {
            byName.put(r.getName(), r);
        }
        return byName;
    }
}
