package dev.kmapstress.jcstress.suite;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.fault.Instrument;
import dev.kmapstress.jcstress.suite.Selection.Entry;
import dev.kmapstress.jcstress.suite.Selection.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which seeded faults the suite's negative controls cover, and why the others are not covered
 * here: a fault no race of two CPUs can expose is listed with the reason and the committed
 * tests of other instruments that catch it, which must exist. A fault with neither a control
 * nor such a listing is a coverage gap, and a gap fails the suite before JCStress runs.
 */
final class Coverage {

    /** A committed file that must exist (and mention {@code mentions}, unless null): a test that catches the fault. */
    record Evidence(String path, String mentions) {
    }

    /** A fault this suite leaves to other instruments: why, who catches it, and where. */
    record Elsewhere(String reason, String instrument, List<Evidence> evidence) {
    }

    private static final Map<Fault, Elsewhere> ELSEWHERE = new EnumMap<>(Fault.class);

    static {
        ELSEWHERE.put(Fault.WAKE_ONE, new Elsewhere(
                "the symptom needs two tasks asleep on the pkmap queue and a third CPU that unmaps:"
                        + " three threads at once, and JCStress runs at most two actors on a 2-CPU machine"
                        + " (3-actor tests are skipped silently there)",
                "the scenario scenarios/faults/wake-one.scenario (core's ScenarioFilesTest) and Lincheck's"
                        + " model checker and stress mode (BlockingKmapTest)",
                List.of(new Evidence("scenarios/faults/wake-one.scenario", null),
                        new Evidence("lincheck-tests/src/test/java/dev/kmapstress/lincheck/BlockingKmapTest.java",
                                "\"WAKE_ONE\""))));
        ELSEWHERE.put(Fault.STATE_AFTER_UNLOCK, new Elsewhere(
                "the waiter joins the queue a few instructions after spin_unlock(kmap_lock), and the model"
                        + " has no preemption point there, while the unmapper must first be handed kmap_lock"
                        + " (~100 ns) and look the page up under its bucket lock before it tests the queue;"
                        + " one attempt per Termination sample, and the waiter wins it (in the kernel,"
                        + " preemption or an interrupt right after the unlock opens the window)",
                "the scenario scenarios/faults/state-after-unlock.scenario (core's ScenarioFilesTest),"
                        + " Lincheck's model checker (BlockingKmapTest: it switches threads right after the"
                        + " unlock), and torture runs long enough for the OS to preempt a CPU thread there"
                        + " (FaultDetectionTest with -Dkmapstress.soak=true)",
                List.of(new Evidence("scenarios/faults/state-after-unlock.scenario", null),
                        new Evidence("lincheck-tests/src/test/java/dev/kmapstress/lincheck/BlockingKmapTest.java",
                                "\"STATE_AFTER_UNLOCK\""))));
        ELSEWHERE.put(Fault.NO_FLUSH_CACHE_KMAPS, new Elsewhere(
                "no race is involved: one CPU that writes through a PKMAP address, lets the page go, flushes"
                        + " the window and reads the page through its next alias sees stale data every time, on"
                        + " arm-like (the only profile with a data cache to flush); a race of two CPUs adds nothing",
                "the scenario scenarios/faults/no-flush-cache-kmaps.scenario (core's ScenarioFilesTest), torture"
                        + " on arm-like (FaultDetectionTest) and core's DataCacheTest",
                List.of(new Evidence("scenarios/faults/no-flush-cache-kmaps.scenario", null),
                        new Evidence("core/src/test/java/dev/kmapstress/torture/FaultDetectionTest.java",
                                "Fault.NO_FLUSH_CACHE_KMAPS"),
                        new Evidence("core/src/test/java/dev/kmapstress/mm/DataCacheTest.java",
                                "Fault.NO_FLUSH_CACHE_KMAPS"))));
    }

    private Coverage() {
    }

    /**
     * What the tests of {@code all} (one suite's whole selection) leave uncovered, one line per
     * problem: a fault with no CAUGHT or BENIGN control and no listing here; a listing whose
     * evidence is not in the repository at {@code root}; a catalogue entry
     * ({@link Fault#caughtBy}) that disagrees with the controls about JCStress.
     */
    static List<String> gaps(Selection all, Path root) {
        List<String> gaps = new ArrayList<>();
        for (Fault f : Fault.values()) {
            boolean controlled = all.entries().stream().anyMatch(e -> judged(e) && controls(e, f));
            boolean caught = all.entries().stream().anyMatch(e -> e.role() == Role.CONTROL && controls(e, f));
            if (caught != f.caughtBy().contains(Instrument.JCSTRESS)) {
                gaps.add(f + ": the catalogue says JCStress " + (caught ? "does not catch" : "catches")
                        + " it, but the suite " + (caught ? "has" : "has no") + " control that must catch it");
            }
            Elsewhere e = ELSEWHERE.get(f);
            if (controlled || f.caughtBy().isEmpty()) {
                continue;
            }
            if (e == null) {
                gaps.add(f + ": no control in the suite and no reason recorded in Coverage");
                continue;
            }
            for (Evidence ev : e.evidence()) {
                String missing = missing(root, ev);
                if (missing != null) {
                    gaps.add(f + " is left to " + e.instrument() + ", but " + missing);
                }
            }
        }
        return gaps;
    }

    private static boolean judged(Entry e) {
        return e.role() == Role.CONTROL || e.role() == Role.BENIGN;
    }

    private static String missing(Path root, Evidence ev) {
        if (root == null) {
            return "no repository checkout contains the suite's working directory, so " + ev.path()
                    + " cannot be checked: run the suite inside a checkout";
        }
        Path file = root.resolve(ev.path());
        if (!Files.isRegularFile(file)) {
            return ev.path() + " does not exist";
        }
        try {
            if (ev.mentions() != null && !Files.readString(file).contains(ev.mentions())) {
                return ev.path() + " does not mention " + ev.mentions();
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return null;
    }

    /** The repository checkout containing {@code dir} (the folder with scenarios/ and the parent pom), or null. */
    static Path repositoryOf(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("scenarios")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return null;
    }

    /** The faults left to other instruments, with reasons. */
    static Map<Fault, Elsewhere> elsewhere() {
        return ELSEWHERE;
    }

    static boolean controls(Verdict v, Fault f) {
        return controls(v.entry(), f);
    }

    private static boolean controls(Entry e, Fault f) {
        return e.control() != null && List.of(e.control().fault()).contains(f);
    }
}
