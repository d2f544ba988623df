package dev.kmapstress.jcstress.blocking;

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
 * A waiter is woken although the unmapper samples need_wakeup at the worst moment. All four
 * slots are pinned and CPU 0 maps p4; CPU 1 waits until CPU 0 holds kmap_lock (it is scanning
 * the full window) and at once drops p0, so its kunmap_high takes kmap_lock right after CPU 0
 * releases it to sleep and tests waitqueue_active() in the narrowest window there is. CPU 0
 * declared itself TASK_UNINTERRUPTIBLE and joined the queue before releasing the lock, so the
 * test sees it and the wake-up is never lost.
 *
 * <p>With WAKEUP_TEST_AFTER_UNLOCK the unmapper tests the queue after its own unlock; that is
 * benign, because the waiter enqueued under the lock before the unmapper could take it, and
 * this race shows it clean. With STATE_AFTER_UNLOCK the waiter joins the queue only after
 * releasing the lock, and a kunmap landing in between loses the wake-up (the hung-task detector
 * reports it: HUNG_TASK); but the waiter enqueues within a few instructions of its unlock while the
 * unmapper first has to be handed the lock, so only a waiter the OS deschedules in between loses
 * it: a run hits that now and then, each hit costs the 2 s detector, and the suite reports the
 * control without requiring a catch (narrow).
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t WaiterIsWokenWhenNeedWakeupIsSampledAtTheWorstMoment}
 */
@JCStressTest
@Smoke
@Controls(benign = {Fault.WAKEUP_TEST_AFTER_UNLOCK}, narrow = {Fault.STATE_AFTER_UNLOCK})
@Outcome(id = "read p4 (after|without) sleeping, unmapped, p4 in slot \\d count 1", expect = ACCEPTABLE,
        desc = "The unmapper saw the waiter on the queue (or the waiter found the freed slot itself).")
@Outcome(id = "HUNG_TASK, .*", expect = FORBIDDEN,
        desc = "The wake-up was lost: CPU 0 slept on until the hung-task detector reported it.")
@Outcome(expect = FORBIDDEN, desc = "Another oops, wrong data after waking, or CPU 0 never reached kmap_lock.")
@State
public class WaiterIsWokenWhenNeedWakeupIsSampledAtTheWorstMoment extends SmallMachine {

    public WaiterIsWokenWhenNeedWakeupIsSampledAtTheWorstMoment(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 8), faults);
        fillWindow(1);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = mapReadUnmap(0, p(4));
    }

    /** Drops p0 as soon as CPU 0 is inside kmap_lock (or already asleep). */
    @Actor
    public void cpu1(LLL_Result r) {
        long deadline = System.nanoTime() + GATE_TIMEOUT.toNanos();
        while (m.pkmap().kmapLock().holder() != 0
                && !m.pkmap().getPkmapWaitQueueHead(0).waitqueueActive()) {
            if (System.nanoTime() > deadline) {
                r.r2 = "CPU 0 never reached kmap_lock";
                return;
            }
            Thread.onSpinWait();
        }
        r.r2 = unmap(1, p(0));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = where(p(4));
    }
}
