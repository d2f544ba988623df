package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A mapping in use is never freed by the wrap-around flush: CPU 0 maps p0 and reads it twice
 * while CPU 1 cycles five other pages through the four-slot window, wrapping the scan and
 * flushing unused slots on the way. p0's count stays at 2 or more while CPU 0 holds it, so both
 * reads show p0 and each of CPU 1's pages shows its own data.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t AMappingInUseSurvivesWrapAroundFlushes}
 */
@JCStressTest
@Outcome(id = "p0 p0, 5 pages read their own data, users left: 0", expect = ACCEPTABLE,
        desc = "The held mapping survived every flush; every page read its own data.")
@Outcome(id = "BUG, .*", expect = FORBIDDEN,
        desc = "A flush freed p0's slot while CPU 0 was taking or holding it.")
@Outcome(expect = FORBIDDEN, desc = "Another page's data, an oops, or a user left behind.")
@State
public class AMappingInUseSurvivesWrapAroundFlushes extends SmallMachine {

    private static final int CYCLED = 5;

    public AMappingInUseSurvivesWrapAroundFlushes(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> {
            long va = kmap(cpu, p(0));
            String first = read(cpu, va);
            String second = read(cpu, va);
            kunmap(cpu, p(0));
            return first + " " + second;
        });
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> {
            for (int k = 1; k <= CYCLED; k++) {
                Page p = p(k);
                String seen = read(cpu, kmap(cpu, p));
                kunmap(cpu, p);
                if (!seen.equals(p.name())) {
                    return p.name() + " read " + seen;
                }
            }
            return CYCLED + " pages read their own data";
        });
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = usersLeft();
    }
}
