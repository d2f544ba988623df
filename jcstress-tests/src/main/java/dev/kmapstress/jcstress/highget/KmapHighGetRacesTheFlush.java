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
 * kmap_high_get vs flush on the arm-like profile: p0 is mapped but unused (count 1); CPU 0
 * tries to pin it with kmap_high_get while CPU 1 flushes every unused slot. Either the flush
 * wins and kmap_high_get finds no mapping, or the pin wins and the flush cannot free the slot
 * until CPU 0 releases it; a pinned address always shows p0.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapHighGetRacesTheFlush}
 */
@JCStressTest
@Outcome(id = "not mapped, flushed, p0 unmapped", expect = ACCEPTABLE,
        desc = "The flush freed p0 first; kmap_high_get found no mapping and pinned nothing.")
@Outcome(id = "slot 1: p0, flushed, p0 unmapped", expect = ACCEPTABLE,
        desc = "CPU 0 pinned, read and released p0 before the flush, which then freed it.")
@Outcome(id = "slot 1: p0, flushed, p0 in slot 1 count 1", expect = ACCEPTABLE,
        desc = "The flush came while CPU 0 held its pin and left the slot alone.")
@Outcome(expect = FORBIDDEN, desc = "Other data, an oops or a wrong count.")
@State
public class KmapHighGetRacesTheFlush extends ArmLikeMachine {

    public KmapHighGetRacesTheFlush(Fault... faults) {
        super(faults);
        mapUnused(1, p(0));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> getReadPut(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = unmapAndFlush(1);
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = where(p(0));
    }
}
