package dev.kmapstress.lincheck;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kmapstress.fault.Fault;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.Options;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one Lincheck check, times it and records it in the {@link ResultLog}.
 *
 * <p>{@link #expectPass} is the faithful model's test: Lincheck's failure is rethrown as it is.
 * {@link #expectFound} is the proof of power: the same check with a seeded fault must end in a
 * {@link LincheckAssertionError} of a kind the fault's mechanism explains
 * ({@link #expectedFailures}), whose report is saved for reading; a run that finds nothing, or
 * fails some other way, fails the JUnit test.
 */
final class LincheckRun {

    /** Variant name of the faithful model in the table. */
    static final String FAITHFUL = "faithful";

    private LincheckRun() {
    }

    /** A check's options for a mode and a budget: the scenario's shape, size and specification. */
    @FunctionalInterface
    interface Check {
        Options<?, ?> options(Mode mode, Budget budget);
    }

    /** Runs {@code check} of {@code test} in {@code mode} with the current budget; the faithful model must pass. */
    static void expectPass(String structure, Mode mode, Check check, Class<?> test) {
        expectPass(structure, FAITHFUL, mode, check, test);
    }

    /**
     * Runs {@code check} of {@code test} in {@code mode} with the current budget, recording it
     * as {@code variant} (a model variant that must pass too, such as a benign fault).
     */
    static void expectPass(String structure, String variant, Mode mode, Check check, Class<?> test) {
        expectPass(structure, variant, mode, Budget.current(), check, test);
    }

    /** As {@link #expectPass(String, String, Mode, Check, Class)}, at {@code budget}. */
    static void expectPass(String structure, String variant, Mode mode, Budget budget, Check check, Class<?> test) {
        Outcome o = run(check.options(mode, budget), test);
        record(structure, variant, mode, budget, false, o);
        if (o.error != null) {
            throw o.error;
        }
    }

    /**
     * Runs {@code check} of {@code test} in {@code mode} with the fault-search budget while
     * {@code variant} (a seeded fault, a broken lock) is on; Lincheck must report a failure,
     * whose report is saved under {@code reports/}.
     */
    static void expectFound(String structure, String variant, Mode mode, Check check, Class<?> test) {
        expectFound(structure, variant, mode, check, test, Set.of(Failure.INVALID_RESULTS));
    }

    /** As {@link #expectFound(String, String, Mode, Check, Class)}, where the failure must be one of {@code kinds}. */
    private static void expectFound(String structure, String variant, Mode mode, Check check, Class<?> test,
            Set<Failure> kinds) {
        Budget budget = Budget.FAULT_SEARCH;
        Outcome o = run(check.options(mode, budget), test);
        record(structure, variant, mode, budget, true, o);
        if (o.error == null) {
            fail(variant + " was not found by " + mode.label() + " on " + structure + " within the "
                    + budget.id() + " budget (" + o.millis + " ms)");
        }
        String seen = firstLine(o.error);
        boolean oopsLeftLocksHeld = seen.equals(Failure.HUNG.header)
                && String.valueOf(o.error.getMessage()).contains(OOPS);
        if (kinds.stream().noneMatch(k -> k.header.equals(seen)) && !oopsLeftLocksHeld) {
            fail(variant + " on " + structure + " (" + mode.label() + ") failed with '" + seen + "', which its"
                    + " mechanism does not explain; expected " + kinds + ":\n" + o.error.getMessage());
        }
        ResultLog.saveReport(structure + "--" + variant + "--" + mode.name().toLowerCase(Locale.ROOT),
                o.error.getMessage());
    }

    /** A check's failure (null if it passed), its wall-clock time and the JVM's CPU time meanwhile. */
    /**
     * The proof of power for one seeded fault: {@code scenario}'s check of {@code test}, run in
     * {@code mode} on machines with {@code fault} switched on, must fail. Stress runs are skipped
     * (reported as such) under a budget that leaves them out ({@link Budget#runsStressFaults()}).
     */
    static void expectFaultFound(MachineSetup setup, Fault fault, String structure, Mode mode,
            Check check, Class<?> test) {
        if (mode == Mode.STRESS) {
            Assumptions.assumeTrue(Budget.runsStressFaults(), "stress runs of seeded faults"
                    + " belong to the thorough budget (-D" + Budget.PROPERTY + "=thorough)");
        }
        try (MachineSetup.Variant v = setup.withFault(fault)) {
            expectFound(structure, fault.name(), mode, check, test, expectedFailures(fault));
        }
    }

    /** How Lincheck reports a failed check: the first line of its report. */
    enum Failure {
        /** Results no sequential execution of the specification gives: wrong data, lost counts. */
        INVALID_RESULTS("= Invalid execution results ="),
        /** A thread never finished its operation. */
        HUNG("= The execution has hung =");

        final String header;

        Failure(String header) {
            this.header = header;
        }
    }

    /** How an operation's result shows an oops of the model (a BUG(), a page fault): see {@code Cpus.run}. */
    private static final String OOPS = "Oops: ";

    /**
     * The failures a seeded fault's mechanism explains: wrong results, and a hang only where the
     * fault causes one: a lost wake-up (STATE_AFTER_UNLOCK, WAKE_ONE) or the IPI/spinlock
     * deadlock (IRQ_OFF_SPIN_WITH_IPI_FLUSH). A hang is also explained, for any fault, when the
     * same execution shows an oops (kmap_high's BUG_ON, a page fault at LIST_POISON1 in a bucket
     * walk): the oops kills its task with its spinlocks held, as the kernel's does, and the
     * other thread spins on them for ever.
     */
    static Set<Failure> expectedFailures(Fault fault) {
        return switch (fault) {
            case STATE_AFTER_UNLOCK, WAKE_ONE, IRQ_OFF_SPIN_WITH_IPI_FLUSH ->
                    EnumSet.of(Failure.INVALID_RESULTS, Failure.HUNG);
            default -> EnumSet.of(Failure.INVALID_RESULTS);
        };
    }

    private record Outcome(LincheckAssertionError error, long millis, long cpuMillis) {
    }

    private static Outcome run(Options<?, ?> options, Class<?> test) {
        long start = System.nanoTime();
        long cpuStart = processCpuMillis();
        LincheckAssertionError error = null;
        try {
            options.check(test);
        } catch (LincheckAssertionError e) {
            error = e;
        }
        return new Outcome(error, (System.nanoTime() - start) / 1_000_000, processCpuMillis() - cpuStart);
    }

    private static void record(String structure, String variant, Mode mode, Budget budget,
            boolean expectFailure, Outcome o) {
        ResultLog.add(new ResultLog.Run(structure, variant, mode, budget, expectFailure,
                o.error != null, o.millis, o.cpuMillis, o.error == null ? "" : firstLine(o.error)));
    }

    /**
     * CPU time of the whole JVM (all of Lincheck's threads, JIT and GC included). On a machine
     * shared with other work it says more about a check's cost than the wall clock does.
     */
    private static long processCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** The first non-blank line of Lincheck's report ("= Invalid execution results =" and the like). */
    private static String firstLine(LincheckAssertionError e) {
        String msg = String.valueOf(e.getMessage());
        for (String line : msg.split("\n")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return "";
    }
}
