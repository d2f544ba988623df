package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.Controls;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap vs kunmap of the same page: CPU 1 holds p0 in slot 1 and drops it while CPU 0 maps it.
 * In either order the slot survives: a kunmap leaves a count of at least 1 (the page stays
 * mapped until a flush), so CPU 0 finds p0 where it was and the count ends at 2 (CPU 0's use).
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapOfAPageBeingUnmappedKeepsItsSlot}
 */
@JCStressTest
@Controls({Fault.UNMAP_TO_ZERO})
@Outcome(id = "slot 1: p0, unmapped, count 2", expect = ACCEPTABLE,
        desc = "CPU 0 found p0 in its slot; one user (CPU 0) left.")
@Outcome(id = "BUG, unmapped, .*", expect = FORBIDDEN,
        desc = "kmap_high found a slot whose count had reached 0 (the kunmap freed it without a flush).")
@Outcome(expect = FORBIDDEN, desc = "Another slot, other data, an oops or a wrong count.")
@State
public class KmapOfAPageBeingUnmappedKeepsItsSlot extends SmallMachine {

    public KmapOfAPageBeingUnmappedKeepsItsSlot(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
        pin(1, p(0));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> mapAndRead(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = unmap(1, p(0));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = "count " + countOf(p(0));
    }
}
