package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two CPUs map different pages into the last free slot: slots 1-3 are pinned, slot 0 is free,
 * CPU 0 maps, reads and drops p0 while CPU 1 does the same with p1. One of them takes slot 0;
 * the other either comes late enough to wrap, flush the now-unused slot and take it, or finds
 * it busy, sleeps in map_new_virtual and is woken by the first one's kunmap. Each reads only
 * its own page, and the last page mapped stays in slot 0, unused.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t TwoCpusRaceForTheLastFreeSlot}
 */
@JCStressTest
@Outcome(id = {"p0, p1 after sleeping, slot 0: p1 count 1", "p0 after sleeping, p1, slot 0: p0 count 1"},
        expect = ACCEPTABLE_INTERESTING,
        desc = "The second CPU found slot 0 busy, slept, and was woken by the first one's kunmap.")
@Outcome(id = {"p0, p1, slot 0: p1 count 1", "p0, p1, slot 0: p0 count 1"}, expect = ACCEPTABLE,
        desc = "The second CPU came after the first one's kunmap and flushed the slot for itself.")
@Outcome(expect = FORBIDDEN, desc = "Another page's data, an oops (a hung task: a lost wake-up), a wrong count.")
@State
public class TwoCpusRaceForTheLastFreeSlot extends SmallMachine {

    public TwoCpusRaceForTheLastFreeSlot(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
        pin(1, p(5), p(6), p(7));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> mapReadUnmap(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> mapReadUnmap(cpu, p(1)));
    }

    private String mapReadUnmap(Cpu cpu, Page p) {
        String seen = read(cpu, kmap(cpu, p));
        kunmap(cpu, p);
        return seen + (sleeps(cpu.id()) > 0 ? " after sleeping" : "");
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = "slot 0: " + slotContents(0);
    }
}
