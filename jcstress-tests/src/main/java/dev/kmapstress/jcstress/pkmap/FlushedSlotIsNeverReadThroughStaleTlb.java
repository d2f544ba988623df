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
 * kunmap vs the wrap-around flush: a slot freed by flush_all_zero_pkmaps and given to another
 * page is never read through a TLB entry of its previous page. Three of four slots are pinned,
 * so both CPUs fight over slot 0: CPU 0 maps p0 there, reads it (its TLB now caches slot 0 →
 * p0), unmaps it (count 1: mapped, unused), maps p1 and reads through p1's address; CPU 1 maps
 * and reads p1 meanwhile. Whoever maps p1 first wraps the scan, flushes the count-1 slot and
 * shoots every TLB down before reusing it, so CPU 0's second read must show p1.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t FlushedSlotIsNeverReadThroughStaleTlb}
 */
@JCStressTest
@Smoke
@Controls({Fault.NO_TLB_FLUSH})
@Outcome(id = "p0 then p1, p1, p1 in slot 0 count 1", expect = ACCEPTABLE,
        desc = "Every read saw the page its address was returned for; both users gone, p1 stays mapped unused.")
@Outcome(id = "p0 then p0, .*", expect = FORBIDDEN,
        desc = "CPU 0 read p0's data through p1's address: its TLB kept the old translation of the reused slot.")
@Outcome(expect = FORBIDDEN, desc = "Another page's data, an oops, or a wrong final count.")
@State
public class FlushedSlotIsNeverReadThroughStaleTlb extends SmallMachine {

    public FlushedSlotIsNeverReadThroughStaleTlb(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
        pin(1, p(5), p(6), p(7));
    }

    /** Maps, reads and drops p0, then maps p1 and names whose data its address shows. */
    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> {
            String first = read(cpu, kmap(cpu, p(0)));
            kunmap(cpu, p(0));
            String second = read(cpu, kmap(cpu, p(1)));
            kunmap(cpu, p(1));
            return first + " then " + second;
        });
    }

    /** Maps p1, names whose data its address shows, drops it. */
    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> {
            String seen = read(cpu, kmap(cpu, p(1)));
            kunmap(cpu, p(1));
            return seen;
        });
    }

    /** Where p1 ended up. */
    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = "p1 in slot " + slotOf(p(1)) + " count " + countOf(p(1));
    }
}
