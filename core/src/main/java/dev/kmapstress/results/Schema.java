package dev.kmapstress.results;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kinds of results file kmap-stress writes, each with the name and version a file carries
 * in its {@code schema} field (JMH files: {@code format}). A reader refuses a file whose schema
 * it does not know; a change of shape that old readers cannot read bumps the version here.
 */
public enum Schema {
    /** {@code torture --json}: one run ({@link TortureFile}). */
    TORTURE("kmap-stress-torture/1"),
    /** {@code compare}: one run per lock and wait strategy ({@link CompareFile}). */
    COMPARE("kmap-stress-compare/1"),
    /** Older {@code RunMatrix} files: JMH's JSON array with the environment around it. */
    JMH("kmap-stress-jmh/1"),
    /** {@code RunMatrix}'s sidecar {@code NAME.env.json}: the environment of JMH's {@code NAME.json}. */
    JMH_ENVIRONMENT("kmap-stress-jmh-env/1");

    private final String id;

    Schema(String id) {
        this.id = id;
    }

    /** The name and version written into files, e.g. {@code kmap-stress-torture/1}. */
    public String id() {
        return id;
    }

    /** The schema called {@code id}, or null for a file of another kind. */
    public static Schema byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElse(null);
    }

    /** The ids of {@code schemas}, for a refusal: {@code a or b}. */
    public static String ids(Schema... schemas) {
        return Arrays.stream(schemas).map(Schema::id).collect(Collectors.joining(" or "));
    }

    @Override
    public String toString() {
        return id;
    }
}
