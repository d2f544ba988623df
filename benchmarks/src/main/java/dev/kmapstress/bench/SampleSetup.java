package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one JCStress sample pays before its actors run: building the two-CPU machine of its
 * state (the {@code SmallMachine.small(profile, 4, 4)} configuration most JCStress tests use,
 * with the suite's 2 s hang detectors). A JCStress test cannot gather more samples per second
 * than this allows, whatever its race costs. {@link #buildSampleConfig} is what each sample
 * also paid until the suite built each test class's configuration once: validating it.
 */
public class SampleSetup extends MatrixDefaults {

    /** The configuration of a JCStress sample's machine, built once. */
    @State(Scope.Benchmark)
    public static class SampleConfig {
        @Param({"ticket"})
        public String lock;

        MachineConfig config;

        @Setup
        public void setUp() {
            config = builder().build();
        }

        MachineConfig.Builder builder() {
            return MachineConfig.builder(Profile.X86_PAE).cpus(2).lastPkmap(4).highmemPages(4)
                    .lowmemPages(16).payloadWords(1).lock(lock)
                    .lockupTimeout(Duration.ofSeconds(2)).hungTaskTimeout(Duration.ofSeconds(2));
        }
    }

    /** Machine.build of a JCStress sample's machine. */
    @Benchmark
    public Machine buildSampleMachine(SampleConfig c) {
        return Machine.build(c.config);
    }

    /** Validating and building a JCStress sample's configuration, now once per test class. */
    @Benchmark
    public MachineConfig buildSampleConfig(SampleConfig c) {
        return c.builder().build();
    }
}
