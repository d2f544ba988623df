package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lockup is a report, not the end of the wait: a waiter that the lockup detector reports
 * keeps its place in its lock (a ticket, a queue node, the pending bit) and takes the lock when
 * the holder lets go, so a lock holder descheduled by the host costs one report, not a cascade
 * of lockups on every CPU. Every real strategy, FIFO ones first of all.
 */
@Timeout(120)
class LockupReportTest {

    /** Short enough to be quick, long enough that the rounds after the episode stay below it. */
    private static final Duration LOCKUP = Duration.ofMillis(500);
    private static final int ROUNDS = 200;

    static Stream<String> real() {
        return StrategyContractTest.real();
    }

    @ParameterizedTest
    @MethodSource("real")
    void aHolderDescheduledPastTheWatchdogCostsOneReportAndEveryCpuProceeds(String name) throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 3).lock(name).lockupTimeout(LOCKUP).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicLong reportsWhenTaken = new AtomicLong(-1);
        Thread holder = Cpus.start(m, 0, errors, cpu -> {
            l.spinLock(cpu);
            // Descheduled by the host while holding the lock: no cpu_relax(), no progress,
            // until the waiter has been reported.
            Cpus.await(() -> m.log().total() > 0);
            l.spinUnlock(cpu);
        });
        Cpus.await(() -> l.holder() == 0);
        Thread waiter = Cpus.start(m, 1, errors, cpu -> {
            l.spinLock(cpu);
            reportsWhenTaken.set(m.log().total());
            l.spinUnlock(cpu);
        });
        holder.join();
        waiter.join();
        assertThat(errors).isEmpty();
        assertThat(reportsWhenTaken).as(m.log().dmesg()).hasValue(1);
        Report r = m.log().reports().get(0);
        assertThat(r.kind()).isEqualTo(ReportKind.SOFT_LOCKUP);
        assertThat(r.headline()).matches("watchdog: BUG: soft lockup - CPU#1 stuck for \\d+s! \\[kmap/1:101\\]");
        assertThat(r.lines()).anyMatch(line -> line.startsWith("CPU#1 spinning on test_lock for "));

        assertThat(everyCpuRounds(m, l)).as("increments under the lock on 3 CPUs after the episode")
                .isEqualTo(3 * ROUNDS);
        if (LockRegistry.standard().get(name).supportsTryLock()) {
            try (Cpu.Scope s = m.cpu(2).enter()) {
                assertThat(l.spinTrylock(s.cpu())).as("the lock is free at the end").isTrue();
                l.spinUnlock(s.cpu());
            }
        }
    }

    /** Every CPU takes and releases the lock ROUNDS times, incrementing a plain counter inside. */
    private static int everyCpuRounds(Machine m, Spinlock l) throws InterruptedException {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        int[] counter = new int[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < m.nrCpus(); c++) {
            threads.add(Cpus.start(m, c, errors, cpu -> {
                for (int i = 0; i < ROUNDS; i++) {
                    l.spinLock(cpu);
                    int v = counter[0];
                    Thread.onSpinWait();
                    counter[0] = v + 1;
                    l.spinUnlock(cpu);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        return counter[0];
    }

    /**
     * A soft lockup's headline gives the whole seconds spun, as watchdog_timer_fn() prints them:
     * 0s for one reported within its first second (the lockup proof does), never rounded up.
     */
    @Test
    void aSoftLockupGivesTheWholeSecondsSpun() {
        Machine m = Tiny.x86(1);
        m.reports().softLockup(m.cpu(0), Duration.ofMillis(300).toNanos());
        m.reports().softLockup(m.cpu(0), Duration.ofMillis(2900).toNanos());
        assertThat(m.log().reports()).extracting(Report::headline).containsExactly(
                "watchdog: BUG: soft lockup - CPU#0 stuck for 0s! [kmap/0:100]",
                "watchdog: BUG: soft lockup - CPU#0 stuck for 2s! [kmap/0:100]");
    }

    @Test
    void aHardLockupIsReportedOncePerWaitAndTheStopEndsIt() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2).lock("ticket").lockupTimeout(Duration.ofMillis(200)).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            l.spinLock(s.cpu());
            Thread waiter = Cpus.start(m, 1, errors, cpu -> l.spinLockIrq(cpu));
            Cpus.await(() -> m.log().total() > 0);
            // Several thresholds more: a hard lockup is reported once per wait.
            long until = System.nanoTime() + 3 * Duration.ofMillis(200).toNanos();
            Cpus.await(() -> System.nanoTime() > until);
            assertThat(waiter.isAlive()).as("the reported CPU spins on").isTrue();
            m.smpSendStop(m.log().reports().get(0));
            waiter.join();
        }
        assertThat(m.log().count(ReportKind.HARD_LOCKUP)).as(m.log().dmesg()).isEqualTo(1);
        assertThat(m.log().reports().get(0).headline()).isEqualTo("NMI watchdog: Watchdog detected hard LOCKUP on cpu 1");
        assertThat(errors).singleElement().isInstanceOf(CpuStopped.class);
        assertThat(((CpuStopped) errors.get(0)).reason().kind()).isEqualTo(ReportKind.HARD_LOCKUP);
    }

    @Test
    void aSoftLockupIsReportedAgainAfterEachFurtherThreshold() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2).lock("ticket").lockupTimeout(Duration.ofMillis(200)).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            l.spinLock(s.cpu());
            Thread waiter = Cpus.start(m, 1, errors, cpu -> {
                l.spinLock(cpu);
                l.spinUnlock(cpu);
            });
            Cpus.await(() -> m.log().count(ReportKind.SOFT_LOCKUP) >= 2);
            l.spinUnlock(s.cpu());
            waiter.join();
        }
        assertThat(errors).isEmpty();
    }
}
