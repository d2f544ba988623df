package dev.kmapstress.jcstress.support;

import dev.kmapstress.fault.Fault;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a generated test that runs a faithful race with something broken on purpose: a seeded
 * {@link #fault()} or a {@link #lock()} strategy registered as broken. {@link #expect()} says
 * what the suite requires of it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NegativeControl {

    /** What the suite requires of a control. */
    enum Expect {
        /** At least one forbidden outcome: the instrument caught the breakage. */
        CAUGHT,
        /** No forbidden outcome: the breakage is benign for this race. */
        BENIGN,
        /** Nothing: the breakage's window is too narrow to hit; forbidden outcomes are reported. */
        NARROW
    }

    /** The class whose race and outcomes this control reuses. */
    Class<?> of();

    /** The seeded fault switched on, if any. */
    Fault[] fault() default {};

    /** The broken lock strategy every spinlock of the machine uses, if any. */
    String lock() default "";

    /** What the suite requires. */
    Expect expect() default Expect.CAUGHT;
}
