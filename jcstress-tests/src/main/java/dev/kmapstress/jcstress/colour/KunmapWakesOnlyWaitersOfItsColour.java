package dev.kmapstress.jcstress.colour;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Each colour has its own wait queue: on the aliasing-cache profile both colour-0 slots are
 * pinned, so CPU 0 sleeps in map_new_virtual for colour-0 page p8. Once it is asleep CPU 1
 * drops colour-1 page p1, which wakes nobody (a colour-1 slot is no use to a colour-0
 * waiter), then drops colour-0 page p0, which wakes CPU 0; CPU 0 then maps p8 at a colour-0
 * slot and reads it.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KunmapWakesOnlyWaitersOfItsColour}
 */
@JCStressTest
@Outcome(id = "p8 at colour 0, colour-1 kunmap woke 0, colour-0 kunmap woke 1", expect = ACCEPTABLE,
        desc = "Only the kunmap of the waiter's colour woke it; it got a slot of its colour.")
@Outcome(expect = FORBIDDEN, desc = "A wake-up across colours, no wake-up, a wrong slot, other data or an oops.")
@State
public class KunmapWakesOnlyWaitersOfItsColour extends SmallMachine {

    private static final int COLOURS = 4;

    public KunmapWakesOnlyWaitersOfItsColour(Fault... faults) {
        super(small(Profile.ALIASING_CACHE, 8, 16).colours(COLOURS), faults);
        pin(1, p(0), p(4), p(1));
    }

    @Actor
    public void cpu0(LL_Result r) {
        r.r1 = on(0, cpu -> {
            long va = kmap(cpu, p(8));
            String seen = read(cpu, va);
            return seen + " at colour " + slot(va) % COLOURS;
        });
    }

    @Actor
    public void cpu1(LL_Result r) {
        r.r2 = !awaitSleeper(0) ? "CPU 0 never slept" : on(1, cpu -> {
            long before = cpu.stats().get(Stat.WAKEUP);
            kunmap(cpu, p(1));
            long afterOther = cpu.stats().get(Stat.WAKEUP);
            kunmap(cpu, p(0));
            return "colour-1 kunmap woke " + (afterOther - before)
                    + ", colour-0 kunmap woke " + (cpu.stats().get(Stat.WAKEUP) - afterOther);
        });
    }
}
