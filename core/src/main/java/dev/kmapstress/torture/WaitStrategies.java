package dev.kmapstress.torture;

import java.util.List;

/** The wait strategies a machine of this build accepts, for comparisons that try them all. */
public final class WaitStrategies {

    private WaitStrategies() {
    }

    /** Every wait strategy's name: the kernel's wait-queue protocol is the only one so far. */
    public static List<String> names() {
        return List.of("kernel");
    }
}
