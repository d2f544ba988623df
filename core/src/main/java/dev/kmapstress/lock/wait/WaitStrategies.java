package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.MachineContext;
import dev.kmapstress.machine.WaitStrategyName;
import dev.kmapstress.sched.Scheduler;
import dev.kmapstress.sched.WaitQueueHead;
import java.util.List;

/**
 * The pkmap wait strategies by name ({@code wait-strategy=NAME}):
 * <ul>
 * <li>{@code kernel}: the wait-queue protocol of mm/highmem.c with the scheduler's
 *     {@code schedule()} and {@code wake_up()} (park and unpark the task's thread);</li>
 * <li>{@code condition}: the waiter blocks on a {@code Condition} of a JVM lock, one per wait
 *     queue, and the waker signals it after waking the queue's tasks;</li>
 * <li>{@code spin-then-park}: LiTL's policy, the waiter spins for a while (acknowledging IPIs)
 *     before it parks, which saves the park and unpark when the wake-up comes soon.</li>
 * </ul>
 */
public final class WaitStrategies {

    private WaitStrategies() {
    }

    /** Every strategy's name, the default ({@code kernel}) first. */
    public static List<String> names() {
        return WaitStrategyName.words();
    }

    /** One line on the strategy named {@code name}. */
    public static String description(String name) {
        return WaitStrategyName.of(name).description();
    }

    /**
     * The strategy named {@code name} for {@code queue} of {@code machine}, whose tasks sleep
     * through {@code scheduler}.
     */
    public static WaitStrategy create(String name, MachineContext machine, Scheduler scheduler,
            WaitQueueHead queue) {
        return switch (WaitStrategyName.of(name)) {
            case KERNEL -> new KernelWait(scheduler, queue);
            case CONDITION -> new ConditionWait(machine, queue);
            case SPIN_THEN_PARK -> new SpinThenParkWait(new KernelWait(scheduler, queue));
        };
    }
}
