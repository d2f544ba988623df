package dev.kmapstress.scenario;

import java.util.List;

/**
 * What one step (or one {@code wait}) came to: its result as printed ({@code 0x...}, {@code ok},
 * {@code blocked}, {@code paused}, {@code oops}, ...), the internal steps the CPU went through
 * meanwhile, and, where the model refused the step (an IRQ state that does not allow it), the
 * refusal instead of a result. {@code missedUntil} is the {@code until} of a step that ended
 * without reaching it.
 */
record Outcome(String result, List<String> trace, String refusal, String missedUntil) {

    static final String BLOCKED = "blocked";
    static final String PAUSED = "paused";
    static final String OOPS = "oops";

    Outcome {
        trace = List.copyOf(trace);
    }
}
