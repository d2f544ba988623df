package dev.kmapstress.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.locking.Spinlock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuTest {

    @Test
    void twoThreadsCannotRunAsOneCpu() throws Exception {
        Machine m = Tiny.x86(2);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Cpu.Scope s = m.cpu(1).enter()) {
                entered.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "holder");
        holder.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> m.cpu(1).enter())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CPU 1 is already being run by thread 'holder'");
        release.countDown();
        holder.join(10_000);
        try (Cpu.Scope s = m.cpu(1).enter()) {
            assertThat(s.cpu().owner()).isSameAs(Thread.currentThread());
        }
        assertThat(m.cpu(1).owner()).isNull();
    }

    @Test
    void interruptsNestAndRestoreTheContext() {
        Machine m = Tiny.x86(1);
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            assertThat(cpu.nestingContext()).isZero();
            cpu.runInterrupt(() -> {
                assertThat(cpu.inHardirq()).isTrue();
                assertThat(cpu.irqsDisabled()).isTrue();
                assertThat(cpu.nestingContext()).isEqualTo(2);
                assertThat(cpu.inAtomic()).isTrue();
            });
            assertThat(cpu.inHardirq()).isFalse();
            assertThat(cpu.irqsDisabled()).isFalse();
            assertThat(cpu.preemptCount()).isZero();
            cpu.localIrqDisable();
            assertThatThrownBy(() -> cpu.irqEnter()).hasMessageContaining("IRQs disabled");
            cpu.localIrqEnable();
            assertThatThrownBy(cpu::irqExit).hasMessageContaining("not in hard-IRQ context");
        }
    }

    @Test
    void spinlockWrappersManagePreemptCountAndIrqFlags() {
        Machine m = Tiny.x86(1);
        Spinlock lock = m.newSpinlock("test_lock");
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            lock.spinLock(cpu);
            assertThat(cpu.preemptCount()).isEqualTo(1);
            assertThat(lock.holder()).isZero();
            lock.spinUnlock(cpu);
            assertThat(cpu.preemptCount()).isZero();
            assertThat(lock.holder()).isEqualTo(-1);

            lock.spinLockIrq(cpu);
            assertThat(cpu.irqsDisabled()).isTrue();
            boolean flags = lock.strategy().tryLock(cpu);
            assertThat(flags).as("trylock of a held lock").isFalse();
            lock.spinUnlockIrq(cpu);
            assertThat(cpu.irqsDisabled()).isFalse();

            cpu.localIrqDisable();
            boolean saved = lock.spinLockIrqsave(cpu);
            lock.spinUnlockIrqrestore(cpu, saved);
            assertThat(cpu.irqsDisabled()).as("irqrestore keeps IRQs off when they were off").isTrue();
            cpu.localIrqEnable();
            assertThat(lock.spinTrylock(cpu)).isTrue();
            assertThat(cpu.preemptCount()).isEqualTo(1);
            lock.spinUnlock(cpu);
            assertThat(cpu.preemptCount()).isZero();
        }
    }

    @Test
    void statisticsCanBeTurnedOff() {
        Machine on = Tiny.x86(1);
        Machine off = Machine.build(Tiny.config(Profile.X86_PAE, 1).statistics(false).build());
        for (Machine m : new Machine[] {on, off}) {
            try (Cpu.Scope s = m.cpu(0).enter()) {
                Page p = m.highPage(0);
                m.highmem().kmap(s.cpu(), p);
                m.highmem().kunmap(s.cpu(), p);
            }
        }
        assertThat(on.statTotal(Stat.KMAP)).isEqualTo(1);
        assertThat(on.statTotal(Stat.KMAP_MISS)).isEqualTo(1);
        assertThat(on.statTotal(Stat.KUNMAP)).isEqualTo(1);
        assertThat(off.statTotal(Stat.KMAP)).isZero();
        assertThat(off.statTotal(Stat.KUNMAP)).isZero();
    }
}
