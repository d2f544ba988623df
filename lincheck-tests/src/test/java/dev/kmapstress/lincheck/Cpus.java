package dev.kmapstress.lincheck;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.Report;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;

/**
 * How Lincheck's threads become the model's CPUs.
 *
 * <p>The model lets one thread run as a CPU at a time ({@link Cpu#enter()} refuses a second),
 * and Lincheck runs an operation on whichever of its threads the scenario puts it in. Every
 * operation therefore takes its Lincheck thread id ({@code @Param(gen = ThreadIdGen.class)}:
 * 0 for the initial part, 1..T for the T parallel threads, T+1 for the post part) and runs as
 * one fixed CPU for exactly the length of the operation:
 * <ul>
 * <li>parallel thread i is CPU i-1, so the machine has one CPU per parallel thread and two
 *     operations running at once are always on different CPUs;</li>
 * <li>the initial and post parts run as CPU 0: Lincheck runs them alone, before and after the
 *     parallel part, so they never meet thread 1 on that CPU.</li>
 * </ul>
 * Between two operations a CPU has no thread, as if it sat in the idle loop: a TLB shootdown
 * does not wait for it, and it takes the pending flushes when its next operation enters it.
 *
 * <p>A kernel oops (BUG, page fault) ends the operation and becomes its result, the report's
 * first line; so does a lockup or hung task, after which the machine is stopped
 * ({@link MachineSetup#build}), so Lincheck prints the kernel's words in its table of
 * results instead of an exception class name.
 */
final class Cpus {

    private Cpus() {
    }

    /** One kernel-side step of an operation, run as a CPU; returns the operation's result. */
    @FunctionalInterface
    interface KernelCall {
        String on(Cpu cpu);
    }

    /**
     * The CPU Lincheck thread {@code threadId} runs as, in a scenario with
     * {@code parallelThreads} parallel threads.
     *
     * @throws IllegalArgumentException for an id Lincheck cannot produce with that many threads
     */
    static int cpuFor(int threadId, int parallelThreads) {
        if (threadId < 0 || threadId > parallelThreads + 1) {
            throw new IllegalArgumentException("Lincheck thread id " + threadId + " is outside 0.."
                    + (parallelThreads + 1) + " (init, " + parallelThreads + " parallel threads, post)");
        }
        return threadId >= 1 && threadId <= parallelThreads ? threadId - 1 : 0;
    }

    /**
     * Runs {@code call} as the CPU of Lincheck thread {@code threadId}; the machine has one CPU
     * per parallel thread. An oops is returned as {@code "Oops: <first line of the report>"}.
     */
    static String run(Machine machine, int threadId, KernelCall call) {
        try (Cpu.Scope s = machine.cpu(cpuFor(threadId, machine.nrCpus())).enter()) {
            return call.on(s.cpu());
        } catch (Oops oops) {
            return describe(oops.report());
        } catch (CpuStopped stopped) {
            return describe(stopped.reason());
        }
    }

    /** {@code "Oops: "} and the report's first line that says something (not "cut here"). */
    static String describe(Report report) {
        for (String line : report.lines()) {
            if (!line.startsWith("-----")) {
                return "Oops: " + line.trim();
            }
        }
        return "Oops: " + report.kind();
    }
}
