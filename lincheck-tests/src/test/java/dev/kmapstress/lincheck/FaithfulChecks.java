package dev.kmapstress.lincheck;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The two JUnit tests every Lincheck test class has: its check on the faithful model, under
 * stress and under model checking, both of which must pass. A subclass is the Lincheck test
 * class itself (its {@code @Operation}s) and names its structure and its check.
 */
abstract class FaithfulChecks {

    private final String structure;
    private final LincheckRun.Check check;

    /**
     * @param structure how the results table names the structure
     * @param check     the check: scenario shape and size, specification, hand-written scenarios
     */
    FaithfulChecks(String structure, LincheckRun.Check check) {
        this.structure = structure;
        this.check = check;
    }

    @Test
    void stress() {
        LincheckRun.expectPass(structure, Mode.STRESS, check, getClass());
    }

    @Test
    void modelChecking() {
        LincheckRun.expectPass(structure, Mode.MODEL_CHECKING, check, getClass());
    }

    /**
     * Model checking at the budget the seeded-fault searches use, when the current budget is a
     * smaller one: a fault counts as found only by a check the faithful model passes at the same
     * size (in the thorough run {@link #modelChecking} is that check already).
     */
    @Test
    void modelCheckingAtTheFaultSearchBudget() {
        Assumptions.assumeTrue(Budget.current() != Budget.FAULT_SEARCH, "the current budget is the fault"
                + " search's: modelChecking() is this check");
        LincheckRun.expectPass(structure, LincheckRun.FAITHFUL, Mode.MODEL_CHECKING, Budget.FAULT_SEARCH, check,
                getClass());
    }
}
