package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.machine.Tracepoint;
import dev.kmapstress.machine.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lockup proof ({@code lockup-proof}): a wait that no CPU can end any more is reported
 * without waiting for the lockup timeout, and a wait that a CPU the host does not run could still
 * end is not reported, however long it spins. Every machine here has a timeout far beyond the
 * tests' deadlines, so a report they see is the proof's. The host descheduling a CPU is played
 * by blocking its thread where the host could stop it: outside any wait (a lock holder) or
 * inside its spin.
 */
class LockupProofTest {

    /** Beyond every deadline of these tests: no report here comes from the timeout. */
    private static final Duration NEVER = Duration.ofMinutes(30);
    /** Periodic lockup checks a spinner makes before a test looks: several proofs' worth. */
    private static final int CHECKS = 64;

    private static MachineConfig.Builder proving(String lock) {
        return Tiny.config(Profile.X86_PAE, 2).lock(lock).lockupTimeout(NEVER).lockupProof(true);
    }

    /** Strategies whose waiters spin (no parking), so that a waiter's checks keep coming. */
    static Stream<String> spinning() {
        return Stream.of("ticket", "qspinlock", "mcs");
    }

    @Test
    void theProofIsOffUnlessAsked() {
        assertThat(MachineConfig.of(Profile.X86_PAE).lockupProof()).isFalse();
        assertThat(MachineConfig.builder(Profile.X86_PAE).set("lockup-proof", "true").build().lockupProof())
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource("spinning")
    void aHolderTheHostKeepsOffTheProcessorIsNeverProvenStuck(String lock) throws Exception {
        Machine m = Machine.build(proving(lock).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch resume = new CountDownLatch(1);
        Thread holder = Cpus.start(m, 0, errors, cpu -> {
            l.spinLock(cpu);
            // Stopped by the host with the lock held: outside any wait, no cpu_relax().
            Cpus.await(resume);
            l.spinUnlock(cpu);
        });
        Cpus.await(() -> l.holder() == 0);
        Thread waiter = Cpus.start(m, 1, errors, cpu -> {
            l.spinLock(cpu);
            l.spinUnlock(cpu);
        });
        try {
            awaitChecks(m.cpu(1), CHECKS);
            assertThat(m.log().total()).as(m.log().dmesg()).isZero();
        } finally {
            resume.countDown();
            Cpus.join(holder, waiter);
        }
        assertThat(errors).isEmpty();
        assertThat(m.log().total()).as("the waiter took the lock when the holder came back: " + m.log().dmesg())
                .isZero();
    }

    /**
     * An ABBA deadlock whose CPU 0 the host stops inside its spin: while CPU 0 does not run,
     * CPU 1 spins on unreported (CPU 0 might be about to take an IPI or leave its wait, for all
     * CPU 1 can see); once CPU 0 spins again, both are seen stuck and the deadlock is reported.
     */
    @Test
    void aCpuStoppedInItsSpinHoldsTheProofBackUntilItRunsAgain() throws Exception {
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch thaw = new CountDownLatch(1);
        AtomicBoolean froze = new AtomicBoolean();
        // The host stops CPU 0's thread in its spin, once the detector has started timing the wait.
        Tracer host = (cpu, point, subject, text) -> {
            if (cpu.id() == 0 && point == Tracepoint.SPIN && cpu.spinningSince() != 0
                    && froze.compareAndSet(false, true)) {
                frozen.countDown();
                Cpus.await(thaw);
            }
        };
        Machine m = Machine.build(proving("ticket").build(), host);
        Spinlock a = m.newSpinlock("lock_a");
        Spinlock b = m.newSpinlock("lock_b");
        stopAtTheFirstHang(m);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch holdsA = new CountDownLatch(1);
        CountDownLatch holdsB = new CountDownLatch(1);
        Thread cpu0 = Cpus.start(m, 0, errors, cpu -> {
            a.spinLock(cpu);
            holdsA.countDown();
            Cpus.await(holdsB);
            b.spinLock(cpu);
        });
        Thread cpu1 = Cpus.start(m, 1, errors, cpu -> {
            b.spinLock(cpu);
            holdsB.countDown();
            Cpus.await(holdsA);
            a.spinLock(cpu);
        });
        try {
            Cpus.await(frozen);
            awaitChecks(m.cpu(1), CHECKS);
            assertThat(m.log().total()).as("reported while CPU 0 did not run: " + m.log().dmesg()).isZero();
            thaw.countDown();
            Cpus.await(() -> m.log().total() > 0);
        } finally {
            thaw.countDown();
            stopIfNothingReported(m);
            Cpus.join(cpu0, cpu1);
        }
        Report r = m.log().reports().get(0);
        assertThat(r.kind()).as(m.log().dmesg()).isEqualTo(ReportKind.SOFT_LOCKUP);
        assertThat(r.headline()).matches("watchdog: BUG: soft lockup - CPU#[01] stuck for \\d+s! \\[kmap/[01]:\\d+\\]");
        assertThat(r.lines()).anyMatch(line -> line.startsWith("CPU#0 spinning on lock_b for "))
                .anyMatch(line -> line.startsWith("CPU#1 spinning on lock_a for "));
        assertThat(errors).hasSize(2).allMatch(e -> e instanceof CpuStopped);
    }

    /**
     * A lock left held by a CPU no thread runs any more (as an oops leaves it) can never be
     * released: its waiter is reported once it has spun long enough itself. This is the busted
     * lock's endless page_address walk in JCStress, once the other CPU has finished its part.
     * The proof brings only the wait's first report forward: the next is the timeout's
     * ({@code watchdog_timer_fn()} restarts its period), not one at every further check.
     */
    @Test
    void aLockLeftHeldByACpuThatNoThreadRunsIsReportedOnceWithoutTheTimeout() throws Exception {
        Machine m = Machine.build(proving("ticket").build());
        Spinlock l = m.newSpinlock("test_lock");
        try (Cpu.Scope s = m.cpu(0).enter()) {
            l.spinLock(s.cpu());
        }
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread waiter = Cpus.start(m, 1, errors, cpu -> l.spinLock(cpu));
        try {
            Cpus.await(() -> m.log().total() > 0);
            awaitChecks(m.cpu(1), CHECKS);
            assertThat(m.log().total()).as("reports while the waiter spun on: " + m.log().dmesg()).isEqualTo(1);
        } finally {
            // A lockup is a report and the waiter spins on: the test, as a harness does, stops it.
            m.smpSendStop(null);
            Cpus.join(waiter);
        }
        Report r = m.log().reports().get(0);
        assertThat(r.kind()).as(m.log().dmesg()).isEqualTo(ReportKind.SOFT_LOCKUP);
        assertThat(r.headline()).startsWith("watchdog: BUG: soft lockup - CPU#1 stuck for ");
        assertThat(r.lines()).anyMatch(line -> line.startsWith("CPU#1 spinning on test_lock for "));
        assertThat(errors).singleElement().isInstanceOf(CpuStopped.class);
    }

    /** A lockup is a report and the CPUs spin on: the test, as a harness does, stops the machine. */
    private static void stopAtTheFirstHang(Machine m) {
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
            }
        });
    }

    /** Frees the CPUs of a test that failed before any report (their waits would never end). */
    private static void stopIfNothingReported(Machine m) {
        if (m.log().total() == 0) {
            m.smpSendStop(null);
        }
    }

    /** Waits until {@code cpu} is in a timed wait and has made {@code n} more periodic lockup checks. */
    private static void awaitChecks(Cpu cpu, int n) {
        Cpus.await(() -> cpu.spinningSince() != 0);
        long start = cpu.relaxChecks();
        Cpus.await(() -> cpu.relaxChecks() - start >= n);
    }
}
