package dev.kmapstress.machine;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import java.time.Duration;

/**
 * Small machines for tests: 4 PKMAP slots, 8 highmem pages, 8 payload words. The watchdogs are
 * a few seconds, long enough that a lock holder descheduled by a loaded host is not a lockup;
 * tests of the detectors shorten them.
 */
public final class Tiny {

    private Tiny() {
    }

    /** The tiny configuration of {@code profile} with {@code cpus} CPUs and {@code faults}. */
    public static MachineConfig.Builder config(Profile profile, int cpus, Fault... faults) {
        MachineConfig.Builder b = MachineConfig.builder(profile).cpus(cpus).lastPkmap(4)
                .highmemPages(8).lowmemPages(8).payloadWords(8)
                .lockupTimeout(Duration.ofSeconds(5)).hungTaskTimeout(Duration.ofSeconds(5));
        for (Fault f : faults) {
            b.fault(f);
        }
        return b;
    }

    /** A tiny x86-pae machine. */
    public static Machine x86(int cpus, Fault... faults) {
        return Machine.build(config(Profile.X86_PAE, cpus, faults).build());
    }
}
