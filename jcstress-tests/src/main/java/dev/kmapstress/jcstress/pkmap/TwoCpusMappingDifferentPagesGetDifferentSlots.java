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
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t TwoCpusMappingDifferentPagesGetDifferentSlots}
 */
@JCStressTest
@Outcome(id = {"slot 1: p0, slot 2: p1, counts 2 2", "slot 2: p0, slot 1: p1, counts 2 2"}, expect = ACCEPTABLE,
        desc = "Slots handed out in lock order; each page in its own slot with one user.")
@Outcome(expect = FORBIDDEN, desc = "A shared slot, another page's data, an oops or a wrong count.")
public class TwoCpusMappingDifferentPagesGetDifferentSlots {

    /** A fresh four-slot window. */
    @State
    public static class Race extends SmallMachine {
        public Race(Fault... faults) {
            super(small(Profile.X86_PAE, 4, 4), faults);
        }

        public String cpu0() {
            return on(0, cpu -> mapAndRead(cpu, p(0)));
        }

        public String cpu1() {
            return on(1, cpu -> mapAndRead(cpu, p(1)));
        }

        public String after() {
            return "counts " + countOf(p(0)) + " " + countOf(p(1));
        }
    }

    @Actor
    public void cpu0(Race r, LLL_Result o) {
        o.r1 = r.cpu0();
    }

    @Actor
    public void cpu1(Race r, LLL_Result o) {
        o.r2 = r.cpu1();
    }

    @Arbiter
    public void arbiter(Race r, LLL_Result o) {
        o.r3 = r.after();
    }
}
