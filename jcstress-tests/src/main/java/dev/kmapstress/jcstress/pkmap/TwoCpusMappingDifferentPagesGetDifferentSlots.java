package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two CPUs map two different pages at once on a fresh window: the scan hands out slots 1 and 2
 * in kmap_lock order, so the pages never share a slot, each CPU reads its own page, and each
 * slot counts one user.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t TwoCpusMappingDifferentPagesGetDifferentSlots}
 */
@JCStressTest
@Outcome(id = {"slot 1: p0, slot 2: p1, counts 2 2", "slot 2: p0, slot 1: p1, counts 2 2"}, expect = ACCEPTABLE,
        desc = "Slots handed out in lock order; each page in its own slot with one user.")
@Outcome(expect = FORBIDDEN, desc = "A shared slot, another page's data, an oops or a wrong count.")
@State
public class TwoCpusMappingDifferentPagesGetDifferentSlots extends SmallMachine {

    public TwoCpusMappingDifferentPagesGetDifferentSlots(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> mapAndRead(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> mapAndRead(cpu, p(1)));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = "counts " + countOf(p(0)) + " " + countOf(p(1));
    }
}
