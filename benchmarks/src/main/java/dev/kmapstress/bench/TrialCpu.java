package dev.kmapstress.bench;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A JMH thread that runs as its own CPU for the whole trial, with a highmem page of its own
 * (page {@code threadIndex}).
 *
 * <p>JMH runs a {@code Scope.Thread} state's trial setup and teardown on the worker thread that
 * uses it (the worker's state instances are bound to the worker thread for the whole trial), so
 * entering the CPU there makes the thread that CPU. Were that ever not so, leaving the CPU would
 * throw and the benchmark would fail loudly.
 *
 * <p>Only for benchmarks whose operations never wait for another CPU (no TLB shootdown, no
 * sleep): a CPU that stays entered between operations cannot acknowledge IPIs once its thread
 * has left the measurement loop, so a shootdown sent at the end of an iteration would wait for
 * it forever. Those benchmarks use a {@link Walker}.
 */
@State(Scope.Thread)
public abstract class TrialCpu {

    protected Cpu cpu;
    protected Page page;
    protected Machine machine;
    private Cpu.Scope scope;

    /** Enters CPU {@code threadIndex} on the calling (worker) thread. */
    protected final void enter(Machine m, ThreadParams threads) {
        machine = m;
        scope = m.cpu(threads.getThreadIndex()).enter();
        cpu = scope.cpu();
        page = m.highPage(threads.getThreadIndex());
    }

    /** Undoes what the benchmark's setup did beyond entering, before the CPU is left. */
    protected void beforeLeaving() {
    }

    /** Leaves the CPU. */
    @TearDown(Level.Trial)
    public void leave() {
        beforeLeaving();
        scope.close();
    }
}
