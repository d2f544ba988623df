package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.LockStrategyProvider;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every seeded fault a torture run can reach ends the run in FAILURE within a bounded time,
 * and the fault the catalogue calls benign does not. Each test prints (and appends to
 * {@code target/torture-fault-detection.txt}) how long the run took to detect its fault.
 *
 * <p>Not here, because no bounded torture run can promise to find them:
 * <ul>
 * <li>{@link Fault#WAKE_ONE}: the one waiter it wakes always goes on to map and then to release
 *     a slot of its own, and that release wakes the next waiter. The fault costs latency,
 *     never a hang (it needs a woken task that never releases: the scenario, JCStress and
 *     Lincheck suites construct one).</li>
 * <li>{@link Fault#COUNT_OUTSIDE_LOCK}: the increment after unlock_kmap() is a few instructions,
 *     done long before the next kmap_lock holder (which needs a cache-line transfer and a
 *     page_address lookup first) touches a count. Torture finds it only when the operating
 *     system preempts a worker inside that window, which a loaded machine does now and then
 *     and a quiet one almost never.</li>
 * </ul>
 */
@Timeout(180)
class FaultDetectionTest {

    /**
     * The bound: a fault not found within this is a failed test. Runs stop at the first
     * failure, so the bound costs time only when a fault is missed; the slowest detections
     * seen on this 2-CPU host were about 10 s, and a loaded host needs more.
     */
    private static final Duration BOUND = Duration.ofSeconds(40);
    private static final Duration WATCHDOG = Duration.ofSeconds(1);

    /** The faults of kmap_local, which need its workload and two tasks per CPU. */
    private static final Set<Fault> LOCAL_FAULTS = EnumSet.of(Fault.SHARED_LOCAL_INDEX, Fault.NO_SCHED_IN_RESTORE);

    /**
     * A torture run on two CPUs without long holds, with a short watchdog so that hangs are
     * reported and a failed run ends quickly: the default workload for kmap_local's faults,
     * persistent kmaps on one task per CPU for the others, which finds them soonest (every
     * round is a round of PKMAP slots, and every round's end a quiet moment).
     */
    private static TortureConfig.Builder runFor(Fault f) {
        TortureConfig.Builder b = TortureConfig.builder(Profile.X86_PAE).cpus(2).seed(42).duration(BOUND)
                .statInterval(BOUND).watchdog(WATCHDOG).hold(0).fault(f);
        return LOCAL_FAULTS.contains(f) ? b : persistentOnly(b);
    }

    private static TortureConfig.Builder persistentOnly(TortureConfig.Builder b) {
        return b.workload(Workload.parse("persistent")).tasksPerCpu(1);
    }

    /**
     * Found in seconds on a quiet 2-CPU host (STATE_AFTER_UNLOCK 4–10 s, BUCKET_UNLOCKED 1–7 s)
     * but missed within the bound when other JVMs load it, since both races need the OS to
     * deschedule a worker inside a window of a few instructions. The default build runs them only
     * with {@code -Dkmapstress.soak=true}; their scenarios and JCStress controls catch them
     * deterministically in every build.
     */
    private static final Set<Fault> SOAK_ONLY =
            EnumSet.of(Fault.STATE_AFTER_UNLOCK, Fault.BUCKET_UNLOCKED);

    /**
     * tas-racy breaks exclusion only when the OS switches threads between its test and its set
     * (found in 1.4–6.3 s quietly, missed within 40 s under load); busted needs no such luck.
     * Its JCStress control and Lincheck's model checker catch it in every build.
     */
    private static final Set<String> SOAK_ONLY_LOCKS = Set.of("tas-racy");

    static Stream<Fault> harmfulFaults() {
        boolean soak = Boolean.getBoolean("kmapstress.soak");
        return Arrays.stream(Fault.values()).filter(f -> f != Fault.WAKEUP_TEST_AFTER_UNLOCK && f != Fault.WAKE_ONE
                && f != Fault.COUNT_OUTSIDE_LOCK && (soak || !SOAK_ONLY.contains(f)));
    }

    @ParameterizedTest
    @MethodSource("harmfulFaults")
    void everyReachableFaultIsFoundQuickly(Fault f) throws IOException {
        TestRuns.Run r = TestRuns.run(runFor(f).build());
        assertThat(r.result().verdict()).as(r.output()).isEqualTo(TortureResult.FAILURE);
        Failure first = r.result().failures().get(0);
        record(f.name(), first);
        assertThat(first.atNanos()).isLessThan(BOUND.toNanos());
        assertThat(first.kind()).as(first.headline()).isNotNull();
        assertThat(r.output()).contains(first.headline(), "replay: ./kmap-stress torture", "--fault " + f.name());
        if (f == Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH) {
            assertThat(first.kind()).isEqualTo(ReportKind.HARD_LOCKUP);
        }
    }

    /** One test per deliberately broken lock strategy the registry has (none is a valid build). */
    @TestFactory
    Stream<DynamicTest> everyDeliberatelyBrokenLockIsFoundQuickly() {
        boolean soak = Boolean.getBoolean("kmapstress.soak");
        return LockRegistry.standard().providers().stream().filter(LockStrategyProvider::broken)
                .map(LockStrategyProvider::name).filter(lock -> soak || !SOAK_ONLY_LOCKS.contains(lock))
                .map(lock -> DynamicTest.dynamicTest("lock " + lock, () -> {
                    TestRuns.Run r = TestRuns.run(persistentOnly(TortureConfig.builder(Profile.X86_PAE).cpus(2)
                            .seed(42).duration(BOUND).statInterval(BOUND).watchdog(WATCHDOG).hold(0).lock(lock)).build());
                    assertThat(r.result().verdict()).as(r.output()).isEqualTo(TortureResult.FAILURE);
                    record("lock " + lock, r.result().failures().get(0));
                }));
    }

    @ParameterizedTest
    @MethodSource("benignFaults")
    void theBenignFaultPassesAsTheCatalogueSays(Fault f) {
        TestRuns.Run r = TestRuns.run(runFor(f).duration(Duration.ofSeconds(1)).build());
        assertThat(r.result().verdict()).as(r.output()).isEqualTo(TortureResult.SUCCESS);
        assertThat(r.result().summary().machine().get("sleep")).isPositive();
    }

    static Stream<Fault> benignFaults() {
        return Stream.of(Fault.WAKEUP_TEST_AFTER_UNLOCK);
    }

    private static void record(String what, Failure first) throws IOException {
        String line = String.format("%-28s found after %6.3f s: %s%n", what, first.atNanos() / 1e9, first.headline());
        System.out.print(line);
        Path file = Path.of("target", "torture-fault-detection.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
