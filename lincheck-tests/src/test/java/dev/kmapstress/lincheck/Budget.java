package dev.kmapstress.lincheck;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How hard each Lincheck check tries, chosen with the system property {@value #PROPERTY}:
 * {@code fast} (the default, what {@code mvn -B verify} runs on CI) or {@code thorough} (what
 * the Maven profile {@code thorough} sets).
 *
 * <p>Each check states its own scenario count and invocations per scenario where a reader sees
 * them ({@link Mode#options(Budget, int, int)}); the budget multiplies both.
 *
 * <p>A seeded-fault check stops at its first failure, so it always searches with the thorough
 * budget ({@link #FAULT_SEARCH}), whichever budget runs the faithful checks: its time to find
 * is then the same on CI and in the thorough run, and the faithful model passes model checking
 * at that very budget in every run ({@code FaithfulChecks.modelCheckingAtTheFaultSearchBudget}). Under the fast budget the stress runs of seeded faults are
 * skipped (see {@link #runsStressFaults()}).
 */
enum Budget {
    /** The checks as written: the whole module in a few minutes on 2 CPUs. */
    FAST(1, 1),
    /** Twice the random scenarios and twice the invocations of each; stress fault runs on. */
    THOROUGH(2, 2);

    /** The budget every seeded-fault check searches with. */
    static final Budget FAULT_SEARCH = THOROUGH;

    /** The system property that selects the budget. */
    static final String PROPERTY = "kmapstress.lincheck.budget";

    private final int scenarioFactor;
    private final int invocationFactor;

    Budget(int scenarioFactor, int invocationFactor) {
        this.scenarioFactor = scenarioFactor;
        this.invocationFactor = invocationFactor;
    }

    /** Random scenarios to generate, for a check that states {@code base}. */
    int scenarios(int base) {
        return base * scenarioFactor;
    }

    /** Invocations (stress runs, or explored interleavings) per scenario, for a check that states {@code base}. */
    int invocations(int base) {
        return base * invocationFactor;
    }

    /**
     * Whether the stress runs of seeded faults are part of the budget. They are left out of the
     * fast one: each costs a few seconds of CPU, and whether the OS interleaves two threads
     * inside a window a few instructions wide is luck, which CI must not depend on. Model
     * checking runs every fault under both budgets.
     */
    static boolean runsStressFaults() {
        return current() == THOROUGH;
    }

    /** The lower-case name the property takes. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The budget the property selects.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    static Budget current() {
        return parse(System.getProperty(PROPERTY, FAST.id()));
    }

    static Budget parse(String value) {
        for (Budget b : values()) {
            if (b.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException(PROPERTY + "=" + value + ": must be one of "
                + Arrays.stream(values()).map(Budget::id).collect(Collectors.joining(", ")));
    }
}
