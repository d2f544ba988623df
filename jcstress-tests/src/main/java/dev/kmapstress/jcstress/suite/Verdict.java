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
 * @param passes how many JCStress runs of the suite ran it: more than one for a control not
 *        caught at first, and for its faithful race, which runs again beside it
 */
record Verdict(Entry entry, long samples, List<Observed> outcomes, long forbidden, long named, String problem,
        int passes) {

    /** How a control's problem begins when it ran clean; the one problem another pass may undo. */
    private static final String NOT_CAUGHT = "not caught: ";

    /** One observed outcome: its text, count, grading and the test's description of it. */
    record Observed(String id, long count, Expect expect, String description) {
    }

    boolean ok() {
        return problem == null;
    }

    /**
     * Whether this is a control that ran normally and showed no forbidden outcome its race names:
     * a miss that more samples may turn into a catch, unlike a control that failed for any other
     * reason (an unknown outcome, a JCStress error, detectors its race did not run with).
     */
    boolean uncaught() {
        return problem != null && problem.startsWith(NOT_CAUGHT);
    }

    /**
     * The verdicts of {@code first}, each merged with its verdict in {@code again} (a later pass
     * over some of the same tests) where it has one. Samples and outcomes add up; a control not
     * caught in {@code first} takes {@code again}'s verdict (caught there, or not caught in all
     * its samples); any other test keeps its first problem, or fails with {@code again}'s: a
     * faithful race gets no second chance, only a second run that must stay clean too.
     */
    static List<Verdict> merge(List<Verdict> first, List<Verdict> again) {
        Map<String, Verdict> later = new HashMap<>();
        again.forEach(v -> later.put(v.entry().name(), v));
        List<Verdict> merged = new ArrayList<>();
        for (Verdict v : first) {
            Verdict w = later.get(v.entry().name());
            merged.add(w == null ? v : v.and(w));
        }
        return merged;
    }

    private Verdict and(Verdict w) {
        long total = samples + w.samples;
        int runs = passes + w.passes;
        String p;
        if (uncaught()) {
            p = w.uncaught() ? notCaught(total, forbidden + w.forbidden, runs) : w.problem;
        } else {
            p = problem != null ? problem : w.problem;
        }
        return new Verdict(entry, total, mergeOutcomes(outcomes, w.outcomes), forbidden + w.forbidden,
                named + w.named, p, runs);
    }

    private static List<Observed> mergeOutcomes(List<Observed> a, List<Observed> b) {
        Map<String, Observed> byId = new LinkedHashMap<>();
        for (Observed o : a) {
            byId.put(o.id(), o);
        }
        for (Observed o : b) {
            byId.merge(o.id(), o, (x, y) -> new Observed(x.id(), x.count() + y.count(), x.expect(), x.description()));
        }
        List<Observed> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(Observed::count).reversed());
        return all;
    }

    private static String notCaught(long samples, long others, int passes) {
        return NOT_CAUGHT + "no forbidden outcome the race names in " + samples + " samples"
                + (passes > 1 ? " over " + passes + " passes" : "") + (others > 0 ? " (" + others + " others)" : "");
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
                    : new Verdict(v.entry(), v.samples(), v.outcomes(), v.forbidden(), v.named(), detectors, 1));
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
                    + " or its fork died; see the JCStress output above", 1);
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
        return new Verdict(e, r.getTotalCount(), outcomes, forbidden, named, problem(e, r, g, forbidden, named), 1);
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
            case CONTROL -> named > 0 ? null : notCaught(r.getTotalCount(), forbidden, 1);
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
