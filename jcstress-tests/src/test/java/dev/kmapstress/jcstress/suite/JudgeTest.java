package dev.kmapstress.jcstress.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.fault.Instrument;
import dev.kmapstress.jcstress.suite.Selection.Entry;
import dev.kmapstress.jcstress.suite.Selection.Role;
import dev.kmapstress.jcstress.suite.Verdict.Observed;
import dev.kmapstress.jcstress.support.Detectors;
import dev.kmapstress.jcstress.support.NegativeControl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.Expect;

/**
 * The suite's judge fails when it should, on the module's real tests: a deleted control is a
 * coverage gap that stops the suite before JCStress runs, and a control whose hang detectors
 * differ from its faithful race's, or are shortened without that race running clean beside it,
 * is not counted as caught; a control missed in one pass may be caught in a later one, while a
 * faithful race's failure in any pass stands.
 */
class JudgeTest {

    private static final Path CHECKOUT = Coverage.repositoryOf(Path.of(""));

    @Test
    void theRealSuitesCoverEverySeededFault() {
        for (Suite.Kind kind : List.of(Suite.Kind.SMOKE, Suite.Kind.FULL)) {
            Selection all = Selection.of(kind, null);
            assertTrue(all.entries().stream().anyMatch(e -> e.role() == Role.CONTROL), kind + " has controls");
            assertEquals(List.of(), Coverage.gaps(all, CHECKOUT), kind.name());
        }
    }

    /** Deleting every control of one fault (each fault JCStress catches, in turn) fails the suite by name. */
    @Test
    void aDeletedControlStopsTheSuite() {
        Selection full = Selection.of(Suite.Kind.FULL, null);
        for (Fault f : Fault.values()) {
            if (!f.caughtBy().contains(Instrument.JCSTRESS)) {
                continue;
            }
            Selection deleted = full.without(e -> e.role() == Role.CONTROL && Coverage.controls(e, f));
            assertTrue(deleted.entries().size() < full.entries().size(), f + " has a control to delete");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            boolean covered = Suite.covered(deleted, CHECKOUT, new PrintStream(err, true, StandardCharsets.UTF_8));
            assertFalse(covered, "the suite would run without a control of " + f);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("coverage gap: " + f + ":"), err.toString());
        }
    }

    @Test
    void aControlWithOtherDetectorsThanItsRaceIsFlagged() {
        String problem = Verdict.detectorProblem(ShortControlOfPatientRace.class,
                control(ShortControlOfPatientRace.class), clean(PatientRace.class));
        assertNotNull(problem);
        assertTrue(problem.contains("runs with 50 ms detectors and its faithful race PatientRace with 2000 ms"), problem);
        assertNotNull(Verdict.detectorProblem(PatientControlOfShortRace.class,
                control(PatientControlOfShortRace.class), clean(ShortRace.class)));
    }

    @Test
    void aShortenedDetectorCountsOnlyBesideItsFaithfulRaceRunCleanInTheSameRun() {
        NegativeControl c = control(ControlOfShortRace.class);
        String absent = Verdict.detectorProblem(ControlOfShortRace.class, c, null);
        assertNotNull(absent);
        assertTrue(absent.endsWith("did not run"), absent);
        Verdict failed = new Verdict(entry(ShortRace.class, null), 1_000, List.of(), 1, 1, "forbidden outcome seen 1 times", 1);
        assertTrue(Verdict.detectorProblem(ControlOfShortRace.class, c, failed).endsWith("failed: forbidden outcome seen 1 times"));
        assertNull(Verdict.detectorProblem(ControlOfShortRace.class, c, clean(ShortRace.class)));
    }

    @Test
    void aControlWithItsRacesDefaultDetectorsNeedsNothingMore() {
        assertNull(Verdict.detectorProblem(ControlOfPatientRace.class, control(ControlOfPatientRace.class), null));
    }

    @Test
    void aControlMissedInOnePassIsCaughtInALaterOneWithAllItsSamplesCounted() {
        List<Verdict> merged = Verdict.merge(List.of(controlSaw(25, 0)), List.of(controlSaw(300, 4)));
        Verdict v = merged.get(0);
        assertTrue(v.ok(), v.problem());
        assertEquals(325, v.samples());
        assertEquals(4, v.named());
        assertEquals(2, v.passes());
        assertEquals(new Observed("clean", 321, Expect.ACCEPTABLE, ""), v.outcomes().get(0));
    }

    @Test
    void aControlMissedInEveryPassFailsWithTheSamplesOfAllPasses() {
        List<Verdict> twice = Verdict.merge(List.of(controlSaw(25, 0)), List.of(controlSaw(300, 0)));
        List<Verdict> thrice = Verdict.merge(twice, List.of(controlSaw(280, 0)));
        assertTrue(thrice.get(0).uncaught());
        assertEquals("not caught: no forbidden outcome the race names in 605 samples over 3 passes",
                thrice.get(0).problem());
    }

    @Test
    void aFaithfulRaceGetsNoSecondChanceOnlyASecondRunThatMustBeCleanToo() {
        Verdict failed = new Verdict(entry(PatientRace.class, null), 500, List.of(), 2, 2, "forbidden outcome seen 2 times", 1);
        assertFalse(failed.uncaught(), "only a control's miss is retried");
        assertEquals("forbidden outcome seen 2 times",
                Verdict.merge(List.of(failed), List.of(clean(PatientRace.class))).get(0).problem());
        Verdict cleanThenFailed = Verdict.merge(List.of(clean(PatientRace.class)), List.of(failed)).get(0);
        assertEquals("forbidden outcome seen 2 times", cleanThenFailed.problem());
        assertEquals(100_500, cleanThenFailed.samples());
    }

    @Test
    void aControlThatFailedForAnyOtherReasonIsNotRetried() {
        Verdict unknown = new Verdict(entry(ControlOfPatientRace.class, control(ControlOfPatientRace.class)), 40,
                List.of(), 0, 0, "an outcome no @Outcome describes", 1);
        assertFalse(unknown.uncaught());
        assertEquals("an outcome no @Outcome describes",
                Verdict.merge(List.of(unknown), List.of(controlSaw(300, 4))).get(0).problem());
    }

    /** On the real smoke list: a retry runs the controls not caught and their faithful races, nothing else. */
    @Test
    void aRetryRunsTheControlsNotCaughtBesideTheirRacesOnly() {
        Selection smoke = Selection.of(Suite.Kind.SMOKE, null);
        Entry missed = named(smoke, "FlushUnusedNeverFreesAMappingBeingTakenWithCountOutsideLock");
        List<Verdict> verdicts = smoke.entries().stream()
                .map(e -> new Verdict(e, 25, List.of(), 0, e == missed ? 0 : 1,
                        e == missed ? "not caught: no forbidden outcome the race names in 25 samples" : null, 1))
                .toList();
        SortedMap<Integer, Selection> again = smoke.again(verdicts, Suite.Kind.SMOKE);
        assertEquals(List.of(Suite.Kind.SMOKE.retryMillis()), List.copyOf(again.keySet()), "the smoke never tops up");
        assertEquals(List.of(missed.control().of().getName(), missed.name()),
                again.get(Suite.Kind.SMOKE.retryMillis()).entries().stream().map(Entry::name).sorted().toList());
        assertTrue(smoke.again(verdicts.stream().filter(v -> v.entry() != missed).toList(), Suite.Kind.SMOKE).isEmpty());
    }

    /**
     * On the real full list: a test short of its density aim after one pass runs again for as
     * many times its time as the shortfall asks, capped; one that reached it, or was already
     * topped up, does not.
     */
    @Test
    void theFullSuiteTopsUpATestShortOfItsDensityOnceForAsLongAsItsShortfallAsks() {
        Selection full = Selection.of(Suite.Kind.FULL, null);
        Entry sparse = named(full, "ReentrantFairLockKmapUnderLock");
        Entry slowControl = named(full, "BustedLockKmapUnderLock");
        Entry topped = named(full, "ReentrantFairLockMutualExclusion");
        List<Verdict> verdicts = full.entries().stream().map(e -> new Verdict(e,
                e == sparse ? 8_054 : e == slowControl ? 21 : e == topped ? 24_994 : 200_000, List.of(), 0,
                e.role() == Role.CONTROL ? 1 : 0, null, e == topped ? 2 : 1)).toList();
        SortedMap<Integer, Selection> again = full.again(verdicts, Suite.Kind.FULL);
        int first = Suite.Kind.FULL.millis();
        assertEquals(List.of(19 * first, Selection.MAX_TOP_UP * first), List.copyOf(again.keySet()),
                "ceil(1.5 * 100,000 / 8,054) = 19 times; 1,000 / 21 samples asks more than the cap");
        assertEquals(List.of(sparse), again.get(19 * first).entries());
        assertEquals(List.of(slowControl), again.get(Selection.MAX_TOP_UP * first).entries());
    }

    private static Entry named(Selection s, String simpleName) {
        return s.entries().stream().filter(e -> e.simpleName().equals(simpleName)).findFirst().orElseThrow();
    }

    // A faithful race with the suite's detectors, one with shortened detectors, and controls of each.

    static class PatientRace {
    }

    @NegativeControl(of = PatientRace.class, fault = Fault.NO_TLB_FLUSH)
    static class ControlOfPatientRace extends PatientRace {
    }

    @Detectors(millis = 50)
    @NegativeControl(of = PatientRace.class, fault = Fault.NO_TLB_FLUSH)
    static class ShortControlOfPatientRace extends PatientRace {
    }

    @Detectors(millis = 50)
    static class ShortRace {
    }

    @NegativeControl(of = ShortRace.class, fault = Fault.NO_TLB_FLUSH)
    static class ControlOfShortRace extends ShortRace {
    }

    @Detectors(millis = 2_000)
    @NegativeControl(of = ShortRace.class, fault = Fault.NO_TLB_FLUSH)
    static class PatientControlOfShortRace extends ShortRace {
    }

    private static NegativeControl control(Class<?> type) {
        return type.getAnnotation(NegativeControl.class);
    }

    private static Entry entry(Class<?> type, NegativeControl c) {
        return new Entry(type.getName(), c == null ? Role.FAITHFUL : Role.CONTROL, c, 2);
    }

    private static Verdict clean(Class<?> race) {
        return new Verdict(entry(race, null), 100_000, List.of(), 0, 0, null, 1);
    }

    /** A control's verdict with {@code named} of its {@code samples} caught, as {@code Verdict.judge} gives it. */
    private static Verdict controlSaw(long samples, long named) {
        Verdict v = new Verdict(entry(ControlOfPatientRace.class, control(ControlOfPatientRace.class)), samples,
                List.of(new Observed("clean", samples - named, Expect.ACCEPTABLE, ""),
                        new Observed("BUG, caught", named, Expect.FORBIDDEN, "")), named, named,
                named > 0 ? null : "not caught: no forbidden outcome the race names in " + samples + " samples", 1);
        assertEquals(named == 0, v.uncaught());
        return v;
    }
}
