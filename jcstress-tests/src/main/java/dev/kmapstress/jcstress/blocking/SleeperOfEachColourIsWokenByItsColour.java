package dev.kmapstress.jcstress.blocking;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The same wake-up per colour, on the aliasing-cache profile (4 colours, two slots each): each
 * sample picks the next colour, pins both of its slots, lets CPU 0 sleep for a third page of
 * that colour on that colour's wait queue, and has CPU 1 drop one of the pinned pages. The
 * kunmap wakes the queue of its page's colour, which is the sleeper's. A lost wake-up leaves
 * CPU 0 asleep until the hung-task detector reports it ({@code HUNG_TASK}).
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t SleeperOfEachColourIsWokenByItsColour}
 */
@JCStressTest
@Outcome(id = "read (p\\d+) after sleeping, unmapped, \\1 in slot \\d count 1", expect = ACCEPTABLE,
        desc = "The kunmap of the sleeper's colour woke it; it mapped and read its page.")
@Outcome(id = "HUNG_TASK, .*", expect = FORBIDDEN,
        desc = "The wake-up was lost: CPU 0 slept on until the hung-task detector reported it.")
@Outcome(expect = FORBIDDEN, desc = "Another oops, wrong data, or CPU 0 never slept.")
@State
public class SleeperOfEachColourIsWokenByItsColour extends SmallMachine {

    private static final int COLOURS = 4;
    /** Colours are visited in turn, one per sample, so every colour's queue is exercised. */
    private static final AtomicInteger NEXT_COLOUR = new AtomicInteger();

    private final int colour = Math.floorMod(NEXT_COLOUR.getAndIncrement(), COLOURS);
    /** The third page of the colour, which CPU 0 sleeps for. */
    private final Page third;

    public SleeperOfEachColourIsWokenByItsColour(Fault... faults) {
        super(small(Profile.ALIASING_CACHE, 8, 16).colours(COLOURS), faults);
        pin(1, p(colour), p(colour + COLOURS));
        third = p(colour + 2 * COLOURS);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = mapReadUnmap(0, third);
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = awaitSleeper(colour) ? unmap(1, p(colour)) : "CPU 0 never slept on colour " + colour;
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = where(third);
    }
}
