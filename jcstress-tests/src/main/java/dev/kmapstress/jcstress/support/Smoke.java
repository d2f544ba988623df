package dev.kmapstress.jcstress.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a faithful test into the CI smoke subset that {@code mvn -B verify} runs. Every
 * negative control runs in the smoke subset anyway; the full suite runs everything.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Smoke {
}
