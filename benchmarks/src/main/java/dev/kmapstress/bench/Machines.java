package dev.kmapstress.bench;

import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.MachineConfig;

/** Builds the benchmarks' machines: one CPU for every JMH thread of the run, groups included. */
final class Machines {

    private Machines() {
    }

    /** A machine of {@code config} with {@code cpus} CPUs: as many as the benchmark has threads. */
    static Machine build(MachineConfig.Builder config, int cpus) {
        return Machine.build(config.cpus(cpus).build());
    }
}
