package dev.kmapstress.jcstress.highget;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap_high_get vs kunmap_high on the arm-like profile: CPU 1 holds p0 and drops it while CPU 0
 * pins p0's existing mapping with kmap_high_get, reads through it and releases it. A kunmap
 * never takes a count below 1, so the mapping is there in either order: CPU 0 always pins and
 * reads p0, and p0 stays mapped, unused.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapHighGetPinsAMappingAgainstKunmap}
 */
@JCStressTest
@Outcome(id = "slot 1: p0, unmapped, p0 in slot 1 count 1", expect = ACCEPTABLE,
        desc = "kmap_high_get pinned p0's mapping and read it; nobody uses it afterwards.")
@Outcome(expect = FORBIDDEN, desc = "No mapping found, other data, an oops or a wrong count.")
@State
public class KmapHighGetPinsAMappingAgainstKunmap extends ArmLikeMachine {

    public KmapHighGetPinsAMappingAgainstKunmap(Fault... faults) {
        super(faults);
        pin(1, p(0));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> getReadPut(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = unmap(1, p(0));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = where(p(0));
    }
}
