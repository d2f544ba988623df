package dev.kmapstress.jcstress.blocking;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.jcstress.support.Smoke;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * A CPU sleeping in map_new_virtual on a full window is woken by another CPU's kunmap: all four
 * slots are pinned, CPU 0 maps p4 and must sleep; once it is on the wait queue CPU 1 drops p0.
 * The kunmap sees the waiter (it enqueued under kmap_lock) and wakes it; CPU 0 rescans, wraps,
 * flushes p0's slot, maps p4 there, reads it and unmaps it.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t SleeperOnAFullWindowIsWokenByKunmap}
 */
@JCStressTest(Mode.Termination)
@Smoke
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The kunmap woke the sleeper; it mapped and read p4.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "The sleeper never returned (and no detector fired).")
@Outcome(id = "ERROR", expect = FORBIDDEN,
        desc = "An oops (the hung-task report of a lost wake-up), wrong data, or CPU 0 never slept.")
@State
public class SleeperOnAFullWindowIsWokenByKunmap extends SmallMachine {

    public SleeperOnAFullWindowIsWokenByKunmap(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
        fillWindow(1);
    }

    @Actor
    public void waiter() {
        setUp(0, cpu -> mapCheckUnmap(cpu, p(4)));
    }

    @Signal
    public void signal() {
        if (!awaitSleeper(0)) {
            throw new IllegalStateException("CPU 0 never slept on a full window");
        }
        setUp(1, cpu -> kunmap(cpu, p(0)));
    }
}
