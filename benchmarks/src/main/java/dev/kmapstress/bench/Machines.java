package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Report;
import dev.kmapstress.machine.MachineConfig;
import java.util.List;

/**
 * Builds the benchmarks' machines (one CPU for every JMH thread of the run, groups included)
 * and checks them after each iteration.
 */
final class Machines {

    private Machines() {
    }

    /** A machine of {@code config} with {@code cpus} CPUs: as many as the benchmark has threads. */
    static Machine build(MachineConfig.Builder config, int cpus) {
        return Machine.build(config.cpus(cpus).build());
    }

    /**
     * Throws if the model wrote anything to its kernel log: a benchmark whose model reported a
     * BUG, WARN or page fault measured a broken path, so its iteration fails instead.
     */
    static void checkKernelLog(Machine machine) {
        List<Report> reports = machine.log().reports();
        if (!reports.isEmpty()) {
            throw new IllegalStateException("the model reported " + reports.size()
                    + " problem(s) during the iteration, first: " + reports.get(0).text());
        }
    }
}
