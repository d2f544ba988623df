package dev.kmapstress.bench;

import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A {@link LockedMachine} that is also parameterised by profile: {@code x86-pae} shoots TLBs
 * down with IPIs that the flushing CPU waits for, {@code arm-like} broadcasts in hardware (and
 * takes kmap_lock with IRQs off, since it has kmap_high_get).
 */
@State(Scope.Benchmark)
public abstract class ProfiledMachine extends LockedMachine {

    @Param({"x86-pae", "arm-like"})
    public String profile;

    /** A configuration builder of this profile, to be completed and passed to {@link #build}. */
    protected final MachineConfig.Builder config() {
        return MachineConfig.builder(Profile.parse(profile));
    }
}
