package dev.kmapstress.jcstress.blocking;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.Controls;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.jcstress.support.Smoke;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A woken waiter re-checks whether its page was mapped while it slept. All four slots are
 * pinned; CPU 0 sleeps in map_new_virtual for p4. Once it is asleep CPU 1 drops p0 and p1
 * (waking CPU 0) and maps p4 itself, into one of the two slots it frees. When CPU 0 runs again
 * it looks p4 up before scanning, finds CPU 1's mapping and shares it: one slot, two users.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t WokenWaiterFindsThePageAnotherCpuMapped}
 */
@JCStressTest
@Smoke
@Controls({Fault.NO_RECHECK_AFTER_SLEEP})
@Outcome(id = "slot (\\d): p4, slot \\1: p4, p4 in 1 slot count 3", expect = ACCEPTABLE,
        desc = "Both CPUs share p4's one mapping: two users.")
@Outcome(id = "slot \\d: p4, slot \\d: p4, p4 in 2 slots .*", expect = FORBIDDEN,
        desc = "The woken CPU mapped p4 a second time: one page, two slots.")
@Outcome(expect = FORBIDDEN, desc = "Other data, an oops, or CPU 0 never slept.")
@State
public class WokenWaiterFindsThePageAnotherCpuMapped extends SmallMachine {

    public WokenWaiterFindsThePageAnotherCpuMapped(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
        fillWindow(1);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> mapAndRead(cpu, p(4)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = !awaitSleeper(0) ? "CPU 0 never slept" : on(1, cpu -> {
            kunmap(cpu, p(0));
            kunmap(cpu, p(1));
            return mapAndRead(cpu, p(4));
        });
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = "p4 in " + slotsOf(p(4)) + (slotsOf(p(4)) == 1 ? " slot" : " slots") + " count " + countOf(p(4));
    }
}
