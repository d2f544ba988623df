package dev.kmapstress.jcstress.suite;

import dev.kmapstress.fault.Fault;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which seeded faults the suite's negative controls cover, and why the others are not covered
 * here: a fault no race of two CPUs can expose is listed with the reason and the instrument
 * that should catch it instead. A fault with neither a control nor a reason is reported as a
 * gap (a fault added to the catalogue after this suite was written).
 */
final class Coverage {

    /** A fault this suite leaves to another instrument, and why. */
    record Elsewhere(String reason, String instrument) {
    }

    private static final Map<Fault, Elsewhere> ELSEWHERE = new EnumMap<>(Fault.class);

    static {
        ELSEWHERE.put(Fault.WAKE_ONE, new Elsewhere(
                "the symptom needs two tasks asleep on the pkmap queue and a third CPU that unmaps:"
                        + " three threads at once, and JCStress runs at most two actors on a 2-CPU machine"
                        + " (3-actor tests are skipped silently there)",
                "the torture runner with 3 or more CPUs on a window that fills (hung-task report)"));
        ELSEWHERE.put(Fault.STATE_AFTER_UNLOCK, new Elsewhere(
                "the waiter joins the queue a few instructions after spin_unlock(kmap_lock), and the model"
                        + " has no preemption point there, while the unmapper must first be handed kmap_lock"
                        + " (~100 ns) and look the page up under its bucket lock before it tests the queue;"
                        + " one attempt per Termination sample, and the waiter wins it (in the kernel,"
                        + " preemption or an interrupt right after the unlock opens the window)",
                "Lincheck's model checker (it switches threads right after the unlock), or a torture run"
                        + " long enough for the OS to preempt a CPU thread inside the window"));
    }

    private Coverage() {
    }

    /**
     * The faults of the catalogue that have neither a judged control (caught or benign) among
     * {@code verdicts} nor a recorded reason.
     */
    static List<Fault> gaps(List<Verdict> verdicts) {
        List<Fault> gaps = new ArrayList<>();
        for (Fault f : Fault.values()) {
            boolean judged = verdicts.stream().anyMatch(v -> v.entry().role() != Selection.Role.NARROW && controls(v, f));
            if (!ELSEWHERE.containsKey(f) && !judged) {
                gaps.add(f);
            }
        }
        return gaps;
    }

    /** The faults left to other instruments, with reasons. */
    static Map<Fault, Elsewhere> elsewhere() {
        return ELSEWHERE;
    }

    static boolean controls(Verdict v, Fault f) {
        return v.entry().control() != null && List.of(v.entry().control().fault()).contains(f);
    }
}
