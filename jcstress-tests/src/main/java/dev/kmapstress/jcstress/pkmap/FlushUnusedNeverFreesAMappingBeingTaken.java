package dev.kmapstress.jcstress.pkmap;

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
 * kmap_flush_unused vs kmap: CPU 0 maps, reads and drops p0 64 times while CPU 1 keeps
 * flushing every unused slot until CPU 0 is done. Each flush either finds p0 unused (count 1) and frees it, so
 * that CPU 0's next kmap maps it afresh, or finds it in use and leaves it; under kmap_lock a
 * flush never lands between the lookup that finds p0's slot and the increment that makes it
 * used. Rounds rather than a single kmap, because that window is a few instructions wide and a
 * sample must cross it many times to land in it. The machine is arm-like (hardware TLB
 * broadcast): on x86 every flush would also wait, holding kmap_lock, for the other CPU to take
 * its IPI, which couples the CPUs and on a loaded machine turns each round into a scheduling
 * round trip, while the race under test is only about kmap_lock.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t FlushUnusedNeverFreesAMappingBeingTaken}
 */
@JCStressTest
@Smoke
@Controls({Fault.UNLOCKED_ADDRESS_LOOKUP, Fault.COUNT_OUTSIDE_LOCK, Fault.FLUSH_WITHOUT_LOCK})
@Outcome(id = "p0 in all 64 rounds, flushed until CPU 0 finished, users left: 0", expect = ACCEPTABLE,
        desc = "Every kmap read p0 through its address; no flush freed a mapping being taken.")
@Outcome(id = {"BUG, .*", ".*, BUG, .*"}, expect = FORBIDDEN,
        desc = "A BUG: a flush reset a count between kmap_high's lookup and its increment, or freed a slot twice.")
@Outcome(id = "PAGE_FAULT, .*", expect = FORBIDDEN,
        desc = "CPU 0 read through a PTE a flush had cleared under it.")
@Outcome(id = "round \\d+ read .*", expect = FORBIDDEN,
        desc = "CPU 0 read another page's data through p0's address.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a lockup, a user left behind.")
@State
public class FlushUnusedNeverFreesAMappingBeingTaken extends SmallMachine {

    private static final int ROUNDS = 64;

    public FlushUnusedNeverFreesAMappingBeingTaken(Fault... faults) {
        super(small(Profile.ARM_LIKE, 4, 4), faults);
        mapUnused(1, p(0));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = onCpu0ThenFinish(cpu -> mapReadUnmapRounds(cpu, p(0), ROUNDS));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = untilCpu0Finishes(1, this::kmapFlushUnused, "flushed until CPU 0 finished");
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = usersLeft();
    }
}
