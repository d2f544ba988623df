package dev.kmapstress.fault;

import java.util.Locale;

/** The instruments that prove their power on the fault catalogue, by their command-line names. */
public enum Instrument {
    /** The scripts of {@code scenarios/faults/}, replayed by {@code kmap-stress run}. */
    SCENARIO,
    /** {@code kmap-stress torture}: locktorture-style runs with the detectors on. */
    TORTURE,
    /** The JCStress negative controls of {@code jcstress-tests/}. */
    JCSTRESS,
    /** The Lincheck checks of {@code lincheck-tests/} (model checking, and stress where reliable). */
    LINCHECK;

    /** Its name as users type it: {@code torture}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
