package dev.kmapstress.lincheck;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.LockStrategyProvider;
import dev.kmapstress.locking.Spinlock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lock strategy in the {@link LockRegistry} as a kernel spinlock ({@link Spinlock}, with
 * its preempt_count and IRQ handling) guarding a counter, checked against {@link CounterSpec}.
 * The critical section counts the CPUs inside it and reads and writes the counter in separate
 * steps, so a lock that lets two CPUs in at once shows it as "two CPUs inside the lock" or as a
 * lost increment, neither of which a sequential counter produces.
 *
 * <p>The strategies are the registry's: the built-in ones and any a user's jar registers
 * through {@link LockStrategyProvider}, so a lock of your own is checked by putting its jar on
 * the test class path and, to check only it, naming it in the system property
 * {@value #LOCKS_PROPERTY} (comma-separated). A strategy that declares itself broken
 * ({@link LockStrategyProvider#broken()}) must be caught instead.
 *
 * <p>Spinning waiters terminate under model checking because Lincheck's loop detector notices
 * a thread that keeps re-reading the same memory in a loop and switches to another thread
 * (after a few iterations), which lets the lock holder run and release; a strategy that never
 * lets anyone in is reported as a livelock. Strategies that block (ReentrantLock) park, which
 * model checking handles as a switch as well.
 */
@Param(name = "tid", gen = ThreadIdGen.class)
public class LockStrategyTest {

    static final String LOCKS_PROPERTY = "kmapstress.locks";
    static final int THREADS = 2;
    static final String TWO_INSIDE = "two CPUs inside the lock";

    static final MachineSetup SETUP = new MachineSetup(MachineSetup.machine(THREADS).lastPkmap(2).highmemPages(0).build());

    private final Machine machine = SETUP.build();
    private final Spinlock lock = machine.newSpinlock("counter_lock");
    /** CPUs inside the critical section: more than one is what a broken lock shows first. */
    private int inside;
    private int value;

    @Operation(params = {"tid"})
    public String increment(int tid) {
        return Cpus.run(machine, tid, cpu -> {
            lock.spinLock(cpu);
            String result = critical(() -> Integer.toString(++value));
            lock.spinUnlock(cpu);
            return result;
        });
    }

    @Operation(params = {"tid"})
    public String get(int tid) {
        return Cpus.run(machine, tid, cpu -> {
            lock.spinLock(cpu);
            String result = critical(() -> Integer.toString(value));
            lock.spinUnlock(cpu);
            return result;
        });
    }

    /** Runs a critical section, or says so if another CPU is inside too. */
    private String critical(Supplier<String> section) {
        boolean alone = inside++ == 0;
        String result = section.get();
        inside--;
        return alone ? result : TWO_INSIDE;
    }

    /** The registry's strategy names, or those the property selects. */
    static List<String> strategies() {
        String only = System.getProperty(LOCKS_PROPERTY, "").trim();
        if (only.isEmpty()) {
            return LockRegistry.standard().names();
        }
        List<String> names = Arrays.stream(only.split(",")).map(String::trim).toList();
        names.forEach(LockRegistry.standard()::get);
        return names;
    }

    /**
     * Random scenarios, plus the one a broken lock fails first: two increments at once. No CPU
     * here ever sends a TLB-shootdown IPI, so a CPU's entry and exit (whose only shared effect is
     * the IPI bookkeeping) get no switch points under model checking: the interleavings left
     * are those of the lock itself and the critical section.
     */
    static Options<?, ?> scenario(Mode mode, Budget budget) {
        Options<?, ?> options = mode.options(budget, 1, mode == Mode.STRESS ? 50 : 30);
        if (options instanceof ModelCheckingOptions mc) {
            mc.addGuarantee(forClasses("dev.kmapstress.machine.Cpu").methods("enter", "exit", "resume").ignore());
        }
        return options.threads(THREADS).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(1).sequentialSpecification(CounterSpec.class)
                .addCustomScenario(Scenario.of(LockStrategyTest.class)
                        .thread(1, "increment", 1)
                        .thread(2, "increment", 2)
                        .post("get", 3)
                        .build());
    }

    /** Model checking: a real strategy must pass, a broken one must be caught. */
    @ParameterizedTest
    @MethodSource("strategies")
    void modelChecking(String name) {
        check(name, Mode.MODEL_CHECKING);
    }

    /**
     * Stress: a real strategy must pass. A broken one is left to model checking: its race is a
     * few instructions wide, and two OS threads on two shared CPUs meet there too rarely for a
     * test that must not flake.
     */
    @ParameterizedTest
    @MethodSource("strategies")
    void stress(String name) {
        Assumptions.assumeFalse(LockRegistry.standard().get(name).broken(),
                name + " is deliberately broken: model checking must catch it, stress is not asked to");
        check(name, Mode.STRESS);
    }

    private static void check(String name, Mode mode) {
        String structure = "lock " + name;
        try (MachineSetup.Variant v = SETUP.withLock(name)) {
            if (LockRegistry.standard().get(name).broken()) {
                LincheckRun.expectFound(structure, "broken lock", mode, LockStrategyTest::scenario, LockStrategyTest.class);
            } else {
                LincheckRun.expectPass(structure, mode, LockStrategyTest::scenario, LockStrategyTest.class);
            }
        }
    }
}
