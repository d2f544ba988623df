package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.MachineConfig;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The machine a benchmark runs on, parameterised by the lock strategy of every kernel spinlock
 * (kmap_lock, the page_address buckets, the wait-queue locks); one CPU per JMH thread.
 *
 * <p><b>The lock parameter.</b> JMH wants {@code @Param} values as literals, so the default
 * list is the real (not deliberately broken) strategies registered when this list was last
 * updated; {@code LockParamTest} fails the build when the registry and this list disagree, so
 * a strategy added to core cannot be silently left out of the matrix. A strategy of your own
 * (a jar with a {@code LockStrategyProvider}, see {@code dev.kmapstress.lock}) joins by name:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar:mylock.jar org.openjdk.jmh.Main -p lock=mylock,ticket KmapHigh
 * </pre>
 *
 * <p>After every iteration the machine's kernel log must still be empty: a benchmark whose
 * model reported a BUG, WARN or page fault measured a broken path and fails instead.
 */
@State(Scope.Benchmark)
public abstract class LockedMachine {

    @Param({"anderson", "clh", "hemlock", "malthusian", "mcs", "mcs-stp", "partitioned-ticket", "pvqspinlock",
            "qspinlock", "reentrant", "reentrant-fair", "synchronized", "tas", "ticket", "ttas"})
    public String lock;

    protected Machine machine;

    /** Builds the machine from {@code config} with this lock and {@code cpus} CPUs, one per JMH thread. */
    protected final void build(MachineConfig.Builder config, int cpus) {
        machine = Machines.build(config.lock(lock), cpus);
    }

    /** The machine of this trial. */
    public Machine machine() {
        return machine;
    }

    /** Fails the iteration if the model wrote anything to its kernel log. */
    @TearDown(Level.Iteration)
    public void checkKernelLog() {
        Machines.checkKernelLog(machine);
    }
}
