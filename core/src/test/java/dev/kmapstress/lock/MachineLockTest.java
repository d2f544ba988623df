package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.locking.LockStats;
import dev.kmapstress.locking.Lockdep;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.mm.Pkmap;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every strategy as the lock of a machine ({@code .lock(name)}): the spinlock wrappers with
 * IRQs on and off, IPIs taken (or not) while waiting, kmap_high/kunmap_high through the model,
 * and the optional lock statistics.
 */
@Timeout(120)
class MachineLockTest {

    static Stream<String> real() {
        return StrategyContractTest.real();
    }

    static Stream<String> realWithTrylock() {
        return real().filter(n -> LockRegistry.standard().get(n).supportsTryLock());
    }

    static Stream<String> all() {
        return LockRegistry.standard().names().stream();
    }

    /** A tiny machine whose lockup detector does not fire on a busy test machine. */
    private static MachineConfig.Builder config(String lock, int cpus) {
        return Tiny.config(Profile.X86_PAE, cpus).lock(lock).lockupTimeout(Duration.ofSeconds(20));
    }

    /**
     * Runs {@code lock} as CPU n on a new thread and returns once that CPU is visibly waiting in
     * it: spinning long enough for the lockup detector to note it, or blocked (idle).
     */
    private static Thread waiter(Machine m, int n, List<Throwable> errors, Consumer<Cpu> lock) {
        AtomicBoolean locking = new AtomicBoolean();
        Thread t = Cpus.start(m, n, errors, cpu -> {
            locking.set(true);
            lock.accept(cpu);
        });
        Cpu cpu = m.cpu(n);
        Cpus.await(() -> !t.isAlive()
                || locking.get() && (cpu.spinningSince() != 0 || !cpu.running()));
        assertThat(t.isAlive()).as("CPU %d is waiting for the lock", n).isTrue();
        return t;
    }

    @ParameterizedTest
    @MethodSource("real")
    void wrappersRestoreIrqAndPreemptState(String name) {
        Machine m = Machine.build(config(name, 1).build());
        Spinlock l = m.newSpinlock("test_lock");
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            l.spinLock(cpu);
            assertThat(cpu.preemptCount()).isEqualTo(1);
            assertThat(cpu.irqsDisabled()).isFalse();
            assertThat(l.holder()).isZero();
            l.spinUnlock(cpu);
            l.spinLockIrq(cpu);
            assertThat(cpu.irqsDisabled()).isTrue();
            l.spinUnlockIrq(cpu);
            assertThat(cpu.irqsDisabled()).isFalse();
            cpu.localIrqDisable();
            boolean flags = l.spinLockIrqsave(cpu);
            l.spinUnlockIrqrestore(cpu, flags);
            assertThat(cpu.irqsDisabled()).as("irqrestore keeps IRQs off that were off").isTrue();
            cpu.localIrqEnable();
            assertThat(cpu.preemptCount()).isZero();
            assertThat(l.holder()).isEqualTo(-1);
        }
    }

    @Test
    void spinTrylockOfALockWithoutTrylockThrowsAndLeavesPreemptionAsItWas() {
        Machine m = Machine.build(config("clh", 1).build());
        Spinlock l = m.newSpinlock("test_lock");
        try (Cpu.Scope s = m.cpu(0).enter()) {
            assertThatThrownBy(() -> l.spinTrylock(s.cpu()))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("clh");
            assertThat(s.cpu().preemptCount()).isZero();
            assertThat(l.holder()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @MethodSource("realWithTrylock")
    void spinTrylockTakesAFreeLockAndCountsAsAnAcquisition(String name) {
        Machine m = Machine.build(config(name, 1).lockStatistics(true).build());
        Spinlock l = m.newSpinlock("test_lock");
        try (Cpu.Scope s = m.cpu(0).enter()) {
            assertThat(l.spinTrylock(s.cpu())).isTrue();
            assertThat(s.cpu().preemptCount()).isEqualTo(1);
            assertThat(l.holder()).isZero();
            l.spinUnlock(s.cpu());
            assertThat(s.cpu().preemptCount()).isZero();
        }
        assertThat(l.stats().acquisitions()).isEqualTo(1);
    }

    /**
     * CPU0 holds kmap_lock; CPU1 waits for it with IRQs on. An IPI posted to CPU1 is taken
     * while it waits, and a whole-machine TLB flush by CPU0 completes.
     */
    @ParameterizedTest
    @MethodSource("real")
    void aWaiterWithIrqsOnTakesIpisSoAFlushCompletes(String name) throws Exception {
        Machine m = Machine.build(config(name, 2).build());
        Pkmap pk = m.pkmap();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Cpu cpu1 = m.cpu(1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            pk.lockKmap(s.cpu());
            Thread t = waiter(m, 1, errors, cpu -> {
                pk.lockKmap(cpu);
                pk.unlockKmap(cpu);
            });
            long request = cpu1.postIpi(dev.kmapstress.machine.Tlb.FLUSH_ALL);
            Cpus.await(() -> cpu1.ipiDone(request));
            m.mmu().flushTlbAll(s.cpu());
            pk.unlockKmap(s.cpu());
            Cpus.join(t);
        }
        assertThat(errors).isEmpty();
        assertThat(cpu1.stats().get(Stat.IPI_ACKED)).isGreaterThanOrEqualTo(1);
        assertThat(m.log().total()).isZero();
    }

    /** The same wait with IRQs off: the IPI stays pending until CPU1 enables IRQs again. */
    @ParameterizedTest
    @MethodSource("real")
    void aWaiterWithIrqsOffTakesNoIpiUntilItEnablesIrqs(String name) throws Exception {
        Machine m = Machine.build(config(name, 2).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicLong request = new AtomicLong();
        AtomicBoolean ackedWhileIrqsOff = new AtomicBoolean(true);
        Cpu cpu1 = m.cpu(1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            l.spinLock(s.cpu());
            Thread t = waiter(m, 1, errors, cpu -> {
                l.spinLockIrq(cpu);
                ackedWhileIrqsOff.set(cpu.ipiDone(request.get()));
                l.spinUnlockIrq(cpu);
            });
            assertThat(cpu1.running()).as("with IRQs off a waiting CPU never counts as idle").isTrue();
            request.set(cpu1.postIpi(dev.kmapstress.machine.Tlb.FLUSH_ALL));
            l.spinUnlock(s.cpu());
            Cpus.join(t);
        }
        assertThat(errors).isEmpty();
        assertThat(ackedWhileIrqsOff).as("acknowledged while waiting with IRQs off").isFalse();
        assertThat(cpu1.ipiDone(request.get())).as("taken at spin_unlock_irq").isTrue();
    }

    /** Two CPUs map, write, read back and unmap through a 4-slot window under the strategy. */
    @ParameterizedTest
    @MethodSource("real")
    void kmapHighAndKunmapHighRunUnderEveryStrategy(String name) throws Exception {
        int iterations = 600;
        Machine m = Machine.build(config(name, 2).lockStatistics(true).lockdep(true).build());
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread[] ts = new Thread[2];
        for (int c = 0; c < 2; c++) {
            int cpuId = c;
            ts[c] = Cpus.start(m, c, errors, cpu -> {
                for (int i = 1; i <= iterations; i++) {
                    Page p = m.highPage((i + 4 * cpuId) % m.highPageCount());
                    long va = m.highmem().kmap(cpu, p);
                    m.mmu().write(cpu, va, cpuId, i);
                    assertThat(m.mmu().read(cpu, va, cpuId)).isEqualTo(i);
                    m.highmem().kunmap(cpu, p);
                }
            });
        }
        for (Thread t : ts) {
            Cpus.join(t);
        }
        assertThat(errors).isEmpty();
        assertThat(m.log().total()).as(m.log().dmesg()).isZero();
        LockStats kmapLock = m.pkmap().kmapLock().stats();
        assertThat(kmapLock.acquisitions()).as("one kmap_lock per kmap_high and per kunmap_high")
                .isEqualTo(2L * 2 * iterations);
        assertThat(m.spinlocks().lockdep().dependsOn("kmap_lock", "page_address_htable.lock")).isTrue();
    }

    /**
     * An AA deadlock on a lockdep machine: CPU 0 takes a lock it holds. Lockdep reports the
     * recursion in the kernel's words, and the CPU does not get in: it spins, and the lockup
     * detector reports it, for every strategy (reentrant ones included).
     */
    @ParameterizedTest
    @MethodSource("real")
    void aRecursiveSpinLockIsReportedAndNeverEntered(String name) throws Exception {
        Machine m = Machine.build(config(name, 1).lockdep(true).lockupTimeout(Duration.ofMillis(100)).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean entered = new AtomicBoolean();
        Thread t = Cpus.start(m, 0, errors, cpu -> {
            l.spinLock(cpu);
            l.spinLock(cpu);
            entered.set(true);
        });
        Cpus.await(() -> !t.isAlive() || m.log().count(ReportKind.SOFT_LOCKUP) > 0);
        // A lockup is a report: the CPU spins on, so the test stops the machine, as a harness does.
        m.smpSendStop(null);
        Cpus.join(t);
        assertThat(entered).as("%s let its holder in again", name).isFalse();
        assertThat(m.log().reports()).extracting(Report::kind).startsWith(ReportKind.LOCKDEP, ReportKind.SOFT_LOCKUP);
        assertThat(m.log().reports().get(0).lines()).contains("WARNING: possible recursive locking detected");
    }

    /** Every registered name, the broken ones included, builds a machine whose kmap works on one CPU. */
    @ParameterizedTest
    @MethodSource("all")
    void everyStrategyMapsOnOneCpu(String name) {
        Machine m = Machine.build(config(name, 1).build());
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            for (int i = 0; i < 3 * m.highPageCount(); i++) {
                Page p = m.highPage(i % m.highPageCount());
                long va = m.highmem().kmap(cpu, p);
                m.mmu().write(cpu, va, 0, i);
                m.highmem().kunmap(cpu, p);
            }
            assertThat(m.statTotal(Stat.FLUSH_ALL_ZERO)).isPositive();
        }
        assertThat(m.highPage(m.highPageCount() - 1).peek(0)).isEqualTo(3 * m.highPageCount() - 1);
        assertThat(m.spinlocks().provider().name()).isEqualTo(name);
    }

    @Test
    void statisticsAreOffByDefault() {
        Machine m = Tiny.x86(1);
        assertThat(m.pkmap().kmapLock().stats()).isNull();
        assertThat(m.spinlocks().lockdep()).isNull();
        assertThat(m.spinlocks().statisticsByClass()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("real")
    void statisticsCountAcquisitionsAndTheWaitOfAContendedOne(String name) throws Exception {
        Machine m = Machine.build(config(name, 2).lockStatistics(true).build());
        Spinlock l = m.newSpinlock("test_lock");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int i = 0; i < 5; i++) {
                l.spinLock(s.cpu());
                l.spinUnlock(s.cpu());
            }
            l.spinLock(s.cpu());
            Thread t = waiter(m, 1, errors, cpu -> {
                l.spinLock(cpu);
                l.spinUnlock(cpu);
            });
            l.spinUnlock(s.cpu());
            Cpus.join(t);
        }
        assertThat(errors).isEmpty();
        LockStats st = l.stats();
        assertThat(st.acquisitions()).isEqualTo(7);
        assertThat(st.contended()).isEqualTo(1);
        assertThat(st.longestWaitNanos()).isPositive();
        assertThat(m.spinlocks().statisticsByClass().get("test_lock")).isEqualTo(st.snapshot());
    }

    @Test
    void bucketStatisticsAddUpPerClass() {
        Machine m = Machine.build(config("ticket", 1).lockStatistics(true).build());
        try (Cpu.Scope s = m.cpu(0).enter()) {
            for (int k = 0; k < 4; k++) {
                m.highmem().kmap(s.cpu(), m.highPage(k));
            }
        }
        LockStats.Snapshot buckets = m.spinlocks().statisticsByClass().get("page_address_htable.lock");
        // Each kmap_high looks the page up (1) and records its new address (1).
        assertThat(buckets.acquisitions()).isEqualTo(8);
        assertThat(buckets.contended()).isZero();
        assertThat(m.spinlocks().statisticsByClass()).containsKeys("kmap_lock", "pkmap_map_wait.lock");
    }
}
