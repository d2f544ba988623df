package dev.kmapstress.machine;

import java.util.Arrays;
import java.util.List;

/**
 * The pkmap wait strategies a machine may be built with ({@code wait-strategy=NAME}): each
 * one's name and one line on it, the default first. The configuration checks names against
 * this list; {@code dev.kmapstress.lock.wait.WaitStrategies} builds the strategy of each.
 */
public enum WaitStrategyName {
    KERNEL("kernel", "the kernel's wait queue: schedule() parks, wake_up() unparks"),
    CONDITION("condition", "a Condition on a JVM lock per wait queue, signalled after wake_up"),
    SPIN_THEN_PARK("spin-then-park", "LiTL's policy: spin a while on the task state, then park");

    private final String word;
    private final String description;

    WaitStrategyName(String word, String description) {
        this.word = word;
        this.description = description;
    }

    /** The name a configuration gives it. */
    public String word() { return word; }

    /** One line on the strategy. */
    public String description() { return description; }

    /** Every strategy's name, the default ({@code kernel}) first. */
    public static List<String> words() {
        return Arrays.stream(values()).map(WaitStrategyName::word).toList();
    }

    /**
     * The strategy named {@code word}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static WaitStrategyName of(String word) {
        return Arrays.stream(values()).filter(w -> w.word.equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown wait strategy '" + word
                        + "'; known: " + String.join(", ", words())));
    }
}
