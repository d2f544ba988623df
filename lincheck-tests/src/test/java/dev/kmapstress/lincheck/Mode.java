package dev.kmapstress.lincheck;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import java.util.List;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuarantee;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Lincheck's two ways of running a scenario, each sized by a {@link Budget}.
 *
 * <p>Stress runs the scenario's threads for real, many times, and relies on the OS to produce
 * interleavings. Model checking runs them under Lincheck's scheduler, which switches threads at
 * shared-memory accesses, explores interleavings systematically, and prints the failing one
 * step by step. Under model checking {@code System.nanoTime()} is made deterministic (it stands
 * still), so the model's lockup and hung-task detectors never fire there: a spinning thread is
 * caught by Lincheck's loop detector, which switches to another thread, and a thread that
 * sleeps forever is reported by Lincheck as a hung execution.
 */
enum Mode {
    STRESS("stress") {
        @Override
        Options<?, ?> create() {
            return new StressOptions();
        }
    },
    MODEL_CHECKING("model checking") {
        @Override
        Options<?, ?> create() {
            ModelCheckingOptions options = new ModelCheckingOptions();
            for (ManagedStrategyGuarantee g : NO_SHARED_STATE) {
                options.addGuarantee(g);
            }
            return options;
        }
    };

    /**
     * Model code that touches nothing another CPU acts on: pure arithmetic and getters, the
     * running CPU's own bookkeeping (preempt_count, the IRQ flag, spin statistics for reports),
     * the task count that bounds a wake-up walk (changed only when a task is made, and never
     * reached by an intact queue), and the log and report paths. Model checking is told to put
     * no switch points inside it, which shrinks the interleavings to those that differ where
     * CPUs really meet: locks, the counts, PTEs, TLBs, IPIs, wait queues, hash chains.
     * Everything else of the model stays under the scheduler. A method added to a hot path that
     * only keeps the running CPU's own books belongs here too: every access outside this list
     * is a switch point, and a fixed budget spread over more of them reaches fewer of the
     * interleavings that matter (a CPU's wait note on every lock, left out of it, once hid
     * tas-racy's race from the fault search).
     */
    private static final List<ManagedStrategyGuarantee> NO_SHARED_STATE = List.of(
            forClasses("dev.kmapstress.machine.Layout", "dev.kmapstress.machine.Profile",
                    "dev.kmapstress.machine.Page", "dev.kmapstress.kernel.Machine",
                    "dev.kmapstress.machine.CpuStats", "dev.kmapstress.kernel.Watchdog",
                    "dev.kmapstress.log.KernelLog", "dev.kmapstress.log.Report", "dev.kmapstress.log.Site")
                    .allMethods().ignore(),
            forClasses("dev.kmapstress.machine.Cpu").methods("id", "stats", "tlb", "current",
                    "setCurrent", "preemptCount", "preemptDisable", "preemptEnable", "inAtomic", "inHardirq",
                    "irqsDisabled", "nestingContext", "localIrqDisable", "localIrqSave", "migrateDisableCount",
                    "migrateDisable", "migrateEnable", "pagefaultDisableCount", "pagefaultDisable",
                    "pagefaultEnable", "spinBegin", "spinBeginLock", "spinEnd", "spinningSince", "spinningOn", "toString").ignore(),
            forClasses("dev.kmapstress.machine.PageTable").methods("slots", "index", "fixmapSlot", "mkPte",
                    "ptePfn", "pteNone").ignore(),
            forClasses("dev.kmapstress.sched.Scheduler").methods("mightSleep", "nrThreads").ignore(),
            forClasses("dev.kmapstress.lincheck.Cpus").methods("cpuFor", "describe").ignore());

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    /** Fresh options of this mode. */
    abstract Options<?, ?> create();

    /**
     * Options of this mode running {@code scenarios} random scenarios and {@code invocations}
     * invocations of each (custom scenarios included), both multiplied by {@code budget}; the
     * caller adds the scenario's shape.
     */
    Options<?, ?> options(Budget budget, int scenarios, int invocations) {
        return create().iterations(budget.scenarios(scenarios))
                .invocationsPerIteration(budget.invocations(invocations));
    }

    /** How the table names the mode. */
    String label() {
        return label;
    }
}
