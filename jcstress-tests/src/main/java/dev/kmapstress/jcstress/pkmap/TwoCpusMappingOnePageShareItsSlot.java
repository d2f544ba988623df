package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
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
 * Two CPUs kmap the same unmapped page at once: whichever takes kmap_lock first maps it (slot
 * 1, the first slot the scan visits on a fresh machine), the other finds that address under
 * the lock, and the slot's count ends at 3 (two users plus the "mapped" 1). Two slots for one
 * page, or a count of 2, would mean the lookup or the increment escaped kmap_lock.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t TwoCpusMappingOnePageShareItsSlot}
 */
@JCStressTest
@Smoke
@Outcome(id = "slot 1: p0, slot 1: p0, count 3", expect = ACCEPTABLE,
        desc = "One mapping, found by the second CPU under kmap_lock; two users counted.")
@Outcome(id = "slot 1: p0, slot 1: p0, count 2", expect = FORBIDDEN,
        desc = "One increment lost: the count would reach 0 with a user left, freeing its slot.")
@Outcome(id = "slot \\d: p0, slot \\d: p0, .*", expect = FORBIDDEN,
        desc = "The page got two slots: both CPUs missed each other's mapping.")
@Outcome(id = {"BUG, .*", ".*, BUG, .*"}, expect = FORBIDDEN,
        desc = "kmap_high found its count below 2 after incrementing it: an update was lost.")
@Outcome(expect = FORBIDDEN, desc = "Wrong data or another oops.")
@State
public class TwoCpusMappingOnePageShareItsSlot extends SmallMachine {

    public TwoCpusMappingOnePageShareItsSlot(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> mapAndRead(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> mapAndRead(cpu, p(0)));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = "count " + countOf(p(0));
    }
}
