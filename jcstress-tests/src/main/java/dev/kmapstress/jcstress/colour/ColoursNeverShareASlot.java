package dev.kmapstress.jcstress.colour;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.jcstress.support.Smoke;
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
 * On the aliasing-cache profile (4 colours, 8 slots: two per colour) each page may only be
 * mapped at a slot of its own colour. CPU 0 cycles three colour-0 pages and CPU 1 three
 * colour-1 pages through their two slots each, wrapping and flushing per colour; every mapping
 * lands on a slot of its page's colour and reads its own page.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t ColoursNeverShareASlot}
 */
@JCStressTest
@Smoke
@Outcome(id = "colour 0 ok, colour 1 ok, users left: 0", expect = ACCEPTABLE,
        desc = "Every page mapped at a slot of its own colour and read its own data.")
@Outcome(expect = FORBIDDEN, desc = "A page at a slot of another colour, other data, an oops or a user left.")
@State
public class ColoursNeverShareASlot extends SmallMachine {

    private static final int COLOURS = 4;
    private static final int PAGES_PER_CPU = 3;

    public ColoursNeverShareASlot(Fault... faults) {
        super(small(Profile.ALIASING_CACHE, 8, 16).colours(COLOURS), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> cycle(cpu, 0));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> cycle(cpu, 1));
    }

    /** Maps, checks and drops pages colour, colour+4, colour+8 (all of that colour). */
    private String cycle(Cpu cpu, int colour) {
        for (int i = 0; i < PAGES_PER_CPU; i++) {
            Page p = p(colour + COLOURS * i);
            long va = kmap(cpu, p);
            String seen = read(cpu, va);
            kunmap(cpu, p);
            if (slot(va) % COLOURS != m.pkmap().getPkmapColor(p) || !seen.equals(p.name())) {
                return p.name() + " in slot " + slot(va) + " read " + seen;
            }
        }
        return "colour " + colour + " ok";
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = usersLeft();
    }
}
