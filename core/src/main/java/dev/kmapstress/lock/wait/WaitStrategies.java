package dev.kmapstress.lock.wait;

import dev.kmapstress.machine.Machine;
import dev.kmapstress.sched.WaitQueueHead;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

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

    private record Entry(String description, BiFunction<Machine, WaitQueueHead, WaitStrategy> factory) {
    }

    private static final Map<String, Entry> BY_NAME;

    static {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("kernel", new Entry("the kernel's wait queue: schedule() parks, wake_up() unparks",
                (machine, queue) -> new KernelWait(machine.scheduler(), queue)));
        m.put("condition", new Entry("a Condition on a JVM lock per wait queue, signalled after wake_up",
                ConditionWait::new));
        m.put("spin-then-park", new Entry("LiTL's policy: spin a while on the task state, then park",
                (machine, queue) -> new SpinThenParkWait(new KernelWait(machine.scheduler(), queue))));
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private WaitStrategies() {
    }

    /** Every strategy's name, the default ({@code kernel}) first. */
    public static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }

    /** One line on the strategy named {@code name}. */
    public static String description(String name) {
        return entry(name).description();
    }

    /** The strategy named {@code name} for {@code queue} of {@code machine}. */
    public static WaitStrategy create(String name, Machine machine, WaitQueueHead queue) {
        return entry(name).factory().apply(machine, queue);
    }

    private static Entry entry(String name) {
        Entry e = BY_NAME.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown wait strategy '" + name + "'; known: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return e;
    }
}
