package dev.kmapstress.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.machine.Profile;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The faithful model passes short torture runs with every registered lock, every workload,
 * every profile and the optional spices (interrupts, several tasks per CPU, long holds), and the
 * runs really exercise what they claim to: mappings, waits, flushes, IPIs, verification. A run
 * that must show work (every CPU a kmap, a sleep, a flush) is made longer, up to a deadline,
 * when a loaded host gave its CPUs too little time; it must pass whatever its length.
 */
@Timeout(60)
class FaithfulRunTest {

    private static final int MILLIS = 250;

    private static TestRuns.Run assertSuccess(TortureConfig c) {
        TestRuns.Run r = TestRuns.run(c);
        assertSuccess(r);
        return r;
    }

    private static void assertSuccess(TestRuns.Run r) {
        assertThat(r.result().verdict()).as(r.output()).isEqualTo(TortureResult.SUCCESS);
        assertThat(r.result().failures()).isEmpty();
        assertThat(r.result().summary().reports()).isEmpty();
        assertThat(r.output()).contains("kmap-torture:--- End of test: SUCCESS");
        assertThat(r.result().summary().harness().get("words_verified")).isPositive();
    }

    /**
     * A run of {@code config} that passes and did what {@code enough} asks: of {@code millis},
     * longer when a loaded host did not give the CPUs the time (see {@link TestRuns#runUntil}).
     */
    private static TestRuns.Run passingUntil(LongFunction<TortureConfig.Builder> config, long millis,
            Consumer<TestRuns.Run> enough) {
        return TestRuns.runUntil(ms -> config.apply(ms).build(), millis, FaithfulRunTest::assertSuccess, enough);
    }

    static Stream<String> realLocks() {
        return LockRegistry.standard().realNames().stream();
    }

    @ParameterizedTest
    @MethodSource("realLocks")
    void everyRealLockPasses(String lock) {
        passingUntil(ms -> TestRuns.quick(Profile.X86_PAE, ms).lock(lock), MILLIS,
                r -> assertThat(r.result().summary().op("kmap").perCpu()).as("kmaps per CPU").allMatch(n -> n > 0));
    }

    static Stream<String> waitStrategies() {
        return dev.kmapstress.lock.wait.WaitStrategies.names().stream();
    }

    @ParameterizedTest
    @MethodSource("waitStrategies")
    void everyWaitStrategyPassesAndWakesItsSleepers(String wait) {
        TestRuns.Run r = assertSuccess(TestRuns.quick(Profile.X86_PAE, 2 * MILLIS).waitStrategy(wait)
                .workload(Workload.parse("persistent")).tasksPerCpu(1).build());
        assertThat(r.result().summary().machine().get("sleep")).isEqualTo(r.result().summary().machine().get("wakeup"));
    }

    static Stream<String> workloads() {
        return Stream.concat(Activities.all().stream().map(Activity::name),
                Stream.of("mixed", TortureConfig.WORKLOAD.defaultText()));
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void everyWorkloadPasses(String workload) {
        Workload w = Workload.parse(workload);
        TestRuns.Run r = passingUntil(ms -> TestRuns.quick(Profile.X86_PAE, ms).workload(w), MILLIS,
                run -> w.activities().forEach(a -> assertThat(run.result().summary().op(a.ops().get(0).word()).total())
                        .as(a.ops().get(0).word()).isPositive()));
        for (Activity a : w.activities()) {
            String first = a.ops().get(0).word();
            String second = a.ops().get(1).word();
            assertThat(r.result().summary().op(second).total()).as(second)
                    .isEqualTo(r.result().summary().op(first).total());
        }
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyProfilePasses(Profile p) {
        passingUntil(ms -> TestRuns.quick(p, ms), MILLIS, r -> {
            assertThat(r.result().summary().machine().get("flush_all_zero")).isPositive();
            if (!p.hardwareTlbBroadcast()) {
                assertThat(r.result().summary().machine().get("ipi_sent")).isPositive();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void interruptsThatMapPagesPassOnEveryProfile(Profile p) {
        passingUntil(ms -> TestRuns.quick(p, ms).irq(true), MILLIS, r -> {
            assertThat(r.result().summary().harness().get("interrupts")).isPositive();
            assertThat(r.result().summary().op("irq:kmap_local_page").total()).isPositive();
            assertThat(r.result().summary().machine().get("kmap_local_irq")).isPositive();
            if (p.kmapHighGet()) {
                assertThat(r.result().summary().op("irq:kmap_high_get").total()).isPositive();
            }
        });
    }

    @Test
    void severalTasksPerCpuWithLongHoldsPass() {
        passingUntil(ms -> TestRuns.quick(Profile.X86_PAE, ms).tasksPerCpu(3).hold(0.05)
                .workload(Workload.parse("mixed")).longHold(java.time.Duration.ofMillis(1)), MILLIS, r -> {
                    assertThat(r.result().summary().harness().get("context_switches")).isPositive();
                    assertThat(r.result().summary().harness().get("long_holds")).isPositive();
                });
    }

    @Test
    void tasksReallyWaitForSlotsAndAreWokenWithoutStutter() {
        passingUntil(ms -> TestRuns.quick(Profile.X86_PAE, ms).stutter(StutterSpec.OFF), 4 * MILLIS, r -> {
            assertThat(r.result().summary().machine().get("sleep")).isPositive();
            assertThat(r.result().summary().machine().get("wakeup")).isPositive();
        });
    }

    @Test
    void statisticsLinesAreLocktorturesAndCountsAddUp() {
        TestRuns.Run r = assertSuccess(TestRuns.quick(Profile.X86_PAE, MILLIS).build());
        assertThat(r.output()).containsPattern(
                "\\[ +\\d+\\.\\d{6}\\] kmap +:  Total: \\d+  Max/Min: \\d+/\\d+ (\\?\\?\\?)?  Fail: 0");
        OpCounts kmap = r.result().summary().op("kmap");
        assertThat(kmap.perCpu().stream().mapToLong(Long::longValue).sum()).isEqualTo(kmap.total());
        assertThat(kmap.max()).isGreaterThanOrEqualTo(kmap.min());
        assertThat(kmap.latency().count()).isEqualTo(kmap.total());
        assertThat(kmap.latency().p99()).isGreaterThanOrEqualTo(kmap.latency().p50());
        assertThat(r.result().intervals()).hasSizeGreaterThanOrEqualTo(2);
    }
}
