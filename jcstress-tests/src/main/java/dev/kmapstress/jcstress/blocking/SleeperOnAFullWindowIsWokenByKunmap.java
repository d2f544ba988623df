package dev.kmapstress.jcstress.blocking;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
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
 * A CPU sleeping in map_new_virtual on a full window is woken by another CPU's kunmap: all four
 * slots are pinned, CPU 0 maps p4 and must sleep; once it is on the wait queue CPU 1 drops p0.
 * The kunmap sees the waiter (it enqueued under kmap_lock) and wakes it; CPU 0 rescans, wraps,
 * flushes p0's slot, maps p4 there, reads it and unmaps it. A lost wake-up leaves CPU 0 asleep
 * until the hung-task detector reports it ({@code HUNG_TASK}).
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t SleeperOnAFullWindowIsWokenByKunmap}
 */
@JCStressTest
@Smoke
@Outcome(id = "read p4 after sleeping, unmapped, p4 in slot \\d count 1", expect = ACCEPTABLE,
        desc = "The kunmap woke the sleeper; it mapped and read p4 in the slot p0 left.")
@Outcome(id = "HUNG_TASK, .*", expect = FORBIDDEN,
        desc = "The wake-up was lost: CPU 0 slept on until the hung-task detector reported it.")
@Outcome(expect = FORBIDDEN, desc = "Another oops, wrong data, or CPU 0 never slept.")
@State
public class SleeperOnAFullWindowIsWokenByKunmap extends SmallMachine {

    public SleeperOnAFullWindowIsWokenByKunmap(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
        fillWindow(1);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = mapReadUnmap(0, p(4));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = awaitSleeper(0) ? unmap(1, p(0)) : "CPU 0 never slept";
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = where(p(4));
    }
}
