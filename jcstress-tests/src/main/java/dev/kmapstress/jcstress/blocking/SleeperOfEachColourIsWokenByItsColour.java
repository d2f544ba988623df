package dev.kmapstress.jcstress.blocking;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Profile;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The same wake-up per colour, on the aliasing-cache profile (4 colours, two slots each): each
 * sample picks the next colour, pins both of its slots, lets CPU 0 sleep for a third page of
 * that colour on that colour's wait queue, and has CPU 1 drop one of the pinned pages. The
 * kunmap wakes the queue of its page's colour, which is the sleeper's.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t SleeperOfEachColourIsWokenByItsColour}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The kunmap of the sleeper's colour woke it.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "The sleeper never returned (and no detector fired).")
@Outcome(id = "ERROR", expect = FORBIDDEN,
        desc = "An oops (the hung-task report of a lost wake-up), wrong data, or CPU 0 never slept.")
@State
public class SleeperOfEachColourIsWokenByItsColour extends SmallMachine {

    private static final int COLOURS = 4;
    /** Colours are visited in turn, one per sample, so every colour's queue is exercised. */
    private static final AtomicInteger NEXT_COLOUR = new AtomicInteger();

    private final int colour = Math.floorMod(NEXT_COLOUR.getAndIncrement(), COLOURS);

    public SleeperOfEachColourIsWokenByItsColour(Fault... faults) {
        super(small(Profile.ALIASING_CACHE, 8, 16).colours(COLOURS), faults);
        pin(1, p(colour), p(colour + COLOURS));
    }

    @Actor
    public void waiter() {
        setUp(0, cpu -> mapCheckUnmap(cpu, p(colour + 2 * COLOURS)));
    }

    @Signal
    public void signal() {
        if (!awaitSleeper(colour)) {
            throw new IllegalStateException("CPU 0 never slept on colour " + colour);
        }
        setUp(1, cpu -> kunmap(cpu, p(colour)));
    }
}
