package dev.kmapstress.jcstress.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Shortens the model's lockup and hung-task detectors for a race whose negative control ends
 * in a hang that no oops precedes: each caught sample of the control lasts as long as the
 * detector, so {@link SmallMachine#DETECTORS} would allow a handful of samples per run. A
 * lockup that no CPU can end (a deadlock) needs none: the lockup proof reports it at once; a
 * hung task, or a lockup that a CPU still working could end, waits for the detector.
 * Inherited, so the race's generated controls run with exactly the race's setting; the suite
 * fails a control whose detector differs from its faithful race's, and accepts a shortened one
 * only beside that faithful race, with the same detector, clean in the same run.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Detectors {

    /** The lockup and hung-task threshold, in milliseconds. */
    long millis();
}
