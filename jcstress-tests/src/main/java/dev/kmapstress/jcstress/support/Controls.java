package dev.kmapstress.jcstress.support;

import dev.kmapstress.fault.Fault;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the seeded faults a faithful test's race is run with. For each one the build generates
 * a test (see {@code jcstress-tests/src/build/GenerateTests.java}): the same race on a machine
 * with that fault on, named {@code <Test>With<Fault>} and marked {@link NegativeControl} with
 * the expectation of the list the fault is in.
 *
 * <p>The generator reads this annotation from the source text: write the faults as
 * {@code Fault.NAME}. The generated test extends the test, so the test must be its own
 * {@code @State} with a public {@code (Fault...)} constructor, the actors {@code cpu0}/{@code cpu1}
 * and the arbiter {@code arbiter}, each taking an {@code LLL_Result}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Controls {

    /** Faults the race must expose: a forbidden outcome is required (negative controls). */
    Fault[] value() default {};

    /**
     * Faults that are benign for this race: their test must come out clean, a negative result
     * that documents why the kernel can afford the shortcut here.
     */
    Fault[] benign() default {};

    /**
     * Faults this race could expose in principle but whose window in the model is too narrow
     * for a run to hit: their test runs in the full suite and its forbidden outcomes are
     * reported, never required (the fault is left to another instrument).
     */
    Fault[] narrow() default {};
}
