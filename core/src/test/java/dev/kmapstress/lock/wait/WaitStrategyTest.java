package dev.kmapstress.lock.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Task;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.sched.WaitQueueHead;
import dev.kmapstress.settings.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each pkmap wait strategy sleeps a waiter for a free slot and wakes it, never losing a wake-up. */
@Timeout(120)
class WaitStrategyTest {

    static List<String> names() {
        return WaitStrategies.names();
    }

    private static MachineConfig.Builder config(String wait, int cpus) {
        return Tiny.config(Profile.X86_PAE, cpus).waitStrategy(wait).lockdep(true)
                .lockupTimeout(Duration.ofSeconds(20)).hungTaskTimeout(Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @MethodSource("names")
    void waitersSleepIdleAndAllProceedOnceSlotsAreFreed(String wait) throws Exception {
        Machine m = Machine.build(config(wait, 4).build());
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, Long> got = new ConcurrentHashMap<>();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int k = 0; k < 4; k++) {
                m.highmem().kmap(s.cpu(), m.highPage(k));
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int c = 1; c <= 3; c++) {
            int cpuId = c;
            threads.add(Cpus.start(m, c, errors, cpu -> got.put(cpuId, m.highmem().kmap(cpu, m.highPage(3 + cpuId)))));
        }
        WaitQueueHead q = m.pkmap().getPkmapWaitQueueHead(0);
        Cpus.await(() -> q.length() == 3);
        for (int c = 1; c <= 3; c++) {
            Cpu cpu = m.cpu(c);
            assertThat(cpu.current().state()).isEqualTo(Task.TASK_UNINTERRUPTIBLE);
            Cpus.await(() -> !cpu.running());
        }
        try (Cpu.Scope s = m.cpu(0).enter()) {
            m.pkmap().kmapFlushUnused(s.cpu());
            for (int k = 0; k < 4; k++) {
                m.highmem().kunmap(s.cpu(), m.highPage(k));
            }
        }
        for (Thread t : threads) {
            Cpus.join(t);
        }
        assertThat(errors).isEmpty();
        assertThat(new HashSet<>(got.values())).as("three distinct slots").hasSize(3);
        assertThat(m.statTotal(Stat.WAKEUP)).isGreaterThanOrEqualTo(3);
        assertThat(q.waitqueueActive()).isFalse();
        assertThat(m.log().total()).as(m.log().dmesg()).isZero();
    }

    /**
     * Rounds of one hand-over through a two-slot window: CPU0 holds both slots; CPU1 asks for
     * a third page while CPU0, spinning for kmap_lock at that moment, frees one. CPU1 either
     * finds the slot or sleeps and must be woken by that very kunmap: CPU0 frees nothing else
     * until CPU1 is done, so a lost wake-up ends in CPU1's hung-task report.
     *
     * @return the number of rounds in which CPU1 slept
     */
    private static long handOverRounds(Machine m, int rounds) throws InterruptedException {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger phase = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Thread cpu0 = Cpus.start(m, 0, errors, cpu -> guard(failed, () -> {
            for (int r = 0; r < rounds && !failed.get(); r++) {
                int base = 3 * r;
                m.highmem().kmap(cpu, m.highPage(0));
                m.highmem().kmap(cpu, m.highPage(1));
                phase.set(base + 1);
                awaitAsCpu(cpu, () -> phase.get() == base + 2 || failed.get());
                m.highmem().kunmap(cpu, m.highPage(0));
                awaitAsCpu(cpu, () -> phase.get() == base + 3 || failed.get());
                m.highmem().kunmap(cpu, m.highPage(1));
            }
        }));
        Thread cpu1 = Cpus.start(m, 1, errors, cpu -> guard(failed, () -> {
            for (int r = 0; r < rounds && !failed.get(); r++) {
                int base = 3 * r;
                awaitAsCpu(cpu, () -> phase.get() == base + 1 || failed.get());
                phase.set(base + 2);
                m.highmem().kmap(cpu, m.highPage(2));
                m.highmem().kunmap(cpu, m.highPage(2));
                phase.set(base + 3);
            }
        }));
        Cpus.join(cpu0);
        Cpus.join(cpu1);
        if (!errors.isEmpty()) {
            throw new AssertionError(m.log().dmesg(), errors.get(0));
        }
        return m.cpu(1).stats().get(Stat.SLEEP);
    }

    /** Runs {@code body}; if it throws, tells the other CPU to stop waiting, and rethrows. */
    private static void guard(AtomicBoolean failed, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
        }
    }

    /** Waits as a running CPU does between operations: taking IPIs at each look. */
    private static void awaitAsCpu(Cpu cpu, BooleanSupplier condition) {
        Cpus.await(() -> {
            cpu.irqPoint();
            return condition.getAsBoolean();
        });
    }

    @ParameterizedTest
    @MethodSource("names")
    void noWakeUpIsLostInAHandOver(String wait) throws Exception {
        Machine m = Machine.build(config(wait, 2).lastPkmap(2).build());
        long slept = handOverRounds(m, 100);
        assertThat(slept).as("rounds in which CPU1 slept and was woken").isPositive();
        assertThat(m.log().total()).as(m.log().dmesg()).isZero();
    }

    /**
     * The harness above does catch a lost wake-up (the waiter enqueues after dropping
     * kmap_lock): the hung-task report, on which the test stops the machine, as a harness does.
     */
    @Test
    void theHandOverCatchesALostWakeUp() throws Exception {
        MachineConfig c = config("kernel", 2).lastPkmap(2).fault(Fault.STATE_AFTER_UNLOCK)
                .hungTaskTimeout(Duration.ofMillis(300)).build();
        boolean caught = false;
        for (int attempt = 0; attempt < 20 && !caught; attempt++) {
            Machine m = Machine.build(c);
            m.log().addListener(r -> {
                if (r.kind().hang()) {
                    m.smpSendStop(r);
                }
            });
            try {
                handOverRounds(m, 300);
            } catch (AssertionError e) {
                assertThat(e.getCause()).isInstanceOf(CpuStopped.class);
                assertThat(((CpuStopped) e.getCause()).reason().kind()).isEqualTo(ReportKind.HUNG_TASK);
                caught = true;
            }
        }
        assertThat(caught).as("a wake-up lost in 20 x 300 rounds").isTrue();
    }

    @ParameterizedTest
    @MethodSource("names")
    void aWaiterNobodyWakesIsReportedAsAHungTaskAndProceedsOnceWoken(String wait) throws Exception {
        Machine m = Machine.build(config(wait, 2).hungTaskTimeout(Duration.ofMillis(300)).build());
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int k = 0; k < 4; k++) {
                m.highmem().kmap(s.cpu(), m.highPage(k));
            }
        }
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread waiter = Cpus.start(m, 1, errors, cpu -> m.highmem().kmap(cpu, m.highPage(6)));
        // At least one: the report repeats every 300 ms, which a loaded host can let pass unseen.
        Cpus.await(() -> m.log().count(ReportKind.HUNG_TASK) >= 1);
        assertThat(m.log().reports().get(0).lines()).contains("INFO: task kmap/1:101 blocked for more than 0 seconds.");
        assertThat(m.cpu(1).current().state()).as("the task sleeps on").isEqualTo(Task.TASK_UNINTERRUPTIBLE);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            m.highmem().kunmap(s.cpu(), m.highPage(0));
        }
        waiter.join();
        assertThat(errors).isEmpty();
        assertThat(m.pkmap().getPkmapWaitQueueHead(0).waitqueueActive()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("names")
    void stoppingTheMachineEndsASleepWithoutLeavingItsEntryQueued(String wait) throws Exception {
        Machine m = Machine.build(config(wait, 2).build());
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int k = 0; k < 4; k++) {
                m.highmem().kmap(s.cpu(), m.highPage(k));
            }
        }
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread waiter = Cpus.start(m, 1, errors, cpu -> m.highmem().kmap(cpu, m.highPage(6)));
        WaitQueueHead q = m.pkmap().getPkmapWaitQueueHead(0);
        Cpus.await(() -> q.length() == 1 && !m.cpu(1).running());
        m.smpSendStop(null);
        waiter.join();
        assertThat(errors).singleElement().isInstanceOf(CpuStopped.class);
        assertThat(q.waitqueueActive()).as("no entry left queued").isFalse();
        assertThat(m.log().total()).isZero();
    }

    @Test
    void anUnknownWaitStrategyIsRefusedWithTheKnownNames() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).waitStrategy("futex").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("wait-strategy=futex: must be one of kernel, condition, spin-then-park");
        assertThatThrownBy(() -> WaitStrategies.create("futex", null, null, null))
                .hasMessage("unknown wait strategy 'futex'; known: kernel, condition, spin-then-park");
        assertThat(WaitStrategies.description("condition")).contains("Condition");
    }

    @Test
    void settingsNameTheLockOptions() {
        MachineConfig c = MachineConfig.builder(Profile.X86_PAE).set("wait-strategy", "spin-then-park")
                .set("lock-statistics", "on").set("lockdep", "true").build();
        assertThat(c.waitStrategy()).isEqualTo("spin-then-park");
        assertThat(c.lockStatistics()).isTrue();
        assertThat(c.lockdep()).isTrue();
        assertThat(c.toBuilder().build().asKeyValues()).containsEntry("lock-statistics", "true")
                .containsEntry("lockdep", "true").containsEntry("wait-strategy", "spin-then-park");
        assertThat(MachineConfig.of(Profile.X86_PAE).asKeyValues()).containsEntry("lock-statistics", "false")
                .containsEntry("lockdep", "false");
        assertThat(MachineConfig.KEYS).contains("lock-statistics", "lockdep");
    }
}
