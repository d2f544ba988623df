package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.locking.Lockdep;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.log.Report;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.mm.Pkmap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock validator finds lock-order inversions and IRQ-unsafe use, and nothing in the model. */
@Timeout(60)
class LockdepTest {

    private static Machine machine(Profile profile) {
        return Machine.build(Tiny.config(profile, 2).lockdep(true).build());
    }

    private static void as(Machine m, int n, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            body.accept(s.cpu());
        }
    }

    private static Report onlyReport(Machine m) {
        assertThat(m.log().count(ReportKind.LOCKDEP)).as(m.log().dmesg()).isEqualTo(1);
        return m.log().reports().get(0);
    }

    /** test_lock → kmap_lock on CPU0, later kmap_lock → test_lock on CPU1: a possible ABBA. */
    @Test
    void anInversionIsACircularDependency() {
        Machine m = machine(Profile.X86_PAE);
        Spinlock test = m.newSpinlock("test_lock");
        Pkmap pk = m.pkmap();
        as(m, 0, cpu -> {
            test.spinLock(cpu);
            pk.lockKmap(cpu);
            pk.unlockKmap(cpu);
            test.spinUnlock(cpu);
        });
        assertThat(m.log().total()).isZero();
        as(m, 1, cpu -> {
            pk.lockKmap(cpu);
            test.spinLock(cpu);
            test.spinUnlock(cpu);
            pk.unlockKmap(cpu);
        });
        Report r = onlyReport(m);
        assertThat(r.kind()).isEqualTo(ReportKind.LOCKDEP);
        assertThat(r.lines()).containsSubsequence(
                "WARNING: possible circular locking dependency detected",
                "kmap/1/101 is trying to acquire lock:",
                "but task is already holding lock:",
                " kmap_lock (kmap_lock){+...}-{2:2}",
                "which lock already depends on the new lock.",
                "the existing dependency chain (in reverse order) is:",
                "-> #1 (kmap_lock){+...}-{2:2}:",
                "-> #0 (test_lock){+...}-{2:2}:",
                "  lock(kmap_lock);",
                "                               lock(test_lock);",
                "                               lock(kmap_lock);",
                "  lock(test_lock);",
                " *** DEADLOCK ***",
                "1 lock held by kmap/1/101:",
                " #0: kmap_lock (kmap_lock){+...}-{2:2}");
        assertThat(r.lines()).anyMatch(l -> l.startsWith(" test_lock (test_lock){+...}-{2:2}, at: "));
        assertThat(m.spinlocks().lockdep().enabled()).as("lockdep turns itself off").isFalse();
    }

    @Test
    void aLongerChainIsShownWithItsMiddle() {
        Machine m = machine(Profile.X86_PAE);
        Spinlock a = m.newSpinlock("a");
        Spinlock b = m.newSpinlock("b");
        Spinlock c = m.newSpinlock("c");
        as(m, 0, cpu -> {
            nest(cpu, a, b);
            nest(cpu, b, c);
            nest(cpu, c, a);
        });
        assertThat(onlyReport(m).lines()).containsSubsequence(
                "-> #2 (c){+...}-{2:2}:", "-> #1 (b){+...}-{2:2}:", "-> #0 (a){+...}-{2:2}:",
                "Chain exists of:", "  a --> b --> c");
    }

    private static void nest(Cpu cpu, Spinlock outer, Spinlock inner) {
        outer.spinLock(cpu);
        inner.spinLock(cpu);
        inner.spinUnlock(cpu);
        outer.spinUnlock(cpu);
    }

    /** x86's kmap_lock is taken with IRQs on; kunmap from an interrupt takes it in hard-IRQ context. */
    @Test
    void kmapLockInAnInterruptIsAnInconsistentLockState() {
        Machine m = machine(Profile.X86_PAE);
        as(m, 0, cpu -> {
            m.highmem().kmap(cpu, m.highPage(0));
            cpu.runInterrupt(() -> m.pkmap().kunmapHigh(cpu, m.highPage(0)));
        });
        Report r = onlyReport(m);
        assertThat(r.lines()).containsSubsequence(
                "WARNING: inconsistent lock state",
                "inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage.",
                "kmap/0/100 [HC1[1]:SC0[0]:HE0:SE1] takes:",
                "{HARDIRQ-ON-W} state was registered at:",
                "  lock(kmap_lock);", "  <Interrupt>", "    lock(kmap_lock);",
                "no locks held by kmap/0/100.");
        assertThat(r.lines()).anyMatch(l -> l.startsWith(" kmap_lock (kmap_lock){?...}-{2:2}, at: "));
    }

    @Test
    void theOtherOrderIsReportedToo() {
        Machine m = machine(Profile.X86_PAE);
        Spinlock l = m.newSpinlock("irq_lock");
        as(m, 0, cpu -> {
            cpu.runInterrupt(() -> nest(cpu, l, m.newSpinlock("other")));
            l.spinLock(cpu);
            l.spinUnlock(cpu);
        });
        assertThat(onlyReport(m).lines()).contains("inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.");
    }

    /** ARM-like kmap_lock is IRQ-safe (spin_lock_irq), so kmap_high_get from an interrupt is fine. */
    @Test
    void irqSafeUseInAnInterruptIsNotReported() {
        Machine m = machine(Profile.ARM_LIKE);
        as(m, 0, cpu -> {
            m.highmem().kmap(cpu, m.highPage(0));
            cpu.runInterrupt(() -> {
                assertThat(m.pkmap().kmapHighGet(cpu, m.highPage(0))).isNotZero();
                m.pkmap().kunmapHigh(cpu, m.highPage(0));
            });
            m.highmem().kunmap(cpu, m.highPage(0));
        });
        assertThat(m.log().total()).as(m.log().dmesg()).isZero();
        assertThat(m.spinlocks().lockdep().usage("kmap_lock")).isEqualTo("{-...}");
    }

    @Test
    void twoLocksOfOneClassNestedAreRecursiveLocking() {
        Machine m = machine(Profile.X86_PAE);
        Spinlock first = m.newSpinlock("bucket[1].lock");
        Spinlock second = m.newSpinlock("bucket[2].lock");
        as(m, 0, cpu -> nest(cpu, first, second));
        Report r = onlyReport(m);
        assertThat(r.lines()).containsSubsequence(
                "WARNING: possible recursive locking detected",
                "but task is already holding lock:",
                " bucket[1].lock (bucket.lock){+...}-{2:2}",
                "  lock(bucket.lock);", "  lock(bucket.lock);");
        assertThat(r.lines()).as("where the second lock is taken").anyMatch(l -> l.startsWith(
                " bucket[2].lock (bucket.lock){+...}-{2:2}, at: LockdepTest.nest(LockdepTest.java:"));
    }

    @Test
    void releasingALockNotHeldIsABadUnlockBalance() {
        Machine m = machine(Profile.X86_PAE);
        Spinlock l = m.newSpinlock("test_lock");
        as(m, 0, cpu -> {
            cpu.preemptDisable();
            l.spinUnlock(cpu);
        });
        assertThat(onlyReport(m).lines()).containsSubsequence("WARNING: bad unlock balance detected!",
                "kmap/0/100 is trying to release lock (test_lock) at:",
                "but there are no more locks to release!");
    }

    @Test
    void tooManyHeldLocksTurnTheValidatorOff() {
        Machine m = machine(Profile.X86_PAE);
        List<Spinlock> locks = new ArrayList<>();
        for (int i = 0; i <= Lockdep.MAX_LOCK_DEPTH; i++) {
            locks.add(m.newSpinlock("nested_" + i));
        }
        as(m, 0, cpu -> {
            locks.forEach(l -> l.spinLock(cpu));
            for (int i = locks.size() - 1; i >= 0; i--) {
                locks.get(i).spinUnlock(cpu);
            }
        });
        assertThat(onlyReport(m).lines()).containsSubsequence("BUG: MAX_LOCK_DEPTH too low!",
                "turning off the locking correctness validator.", "depth: 48  max: 48!",
                "48 locks held by kmap/0/100:");
    }

    @Test
    void tooManyClassesTurnTheValidatorOff() {
        Machine m = machine(Profile.X86_PAE);
        for (int i = 0; i < Lockdep.MAX_LOCKDEP_KEYS; i++) {
            m.newSpinlock("class_" + i);
        }
        assertThat(onlyReport(m).lines()).containsExactly("BUG: MAX_LOCKDEP_KEYS too low!",
                "turning off the locking correctness validator.");
    }

    @Test
    void trylocksAddNoDependencyOfTheirOwn() {
        Machine m = machine(Profile.X86_PAE);
        Spinlock a = m.newSpinlock("a");
        Spinlock b = m.newSpinlock("b");
        as(m, 0, cpu -> {
            a.spinLock(cpu);
            assertThat(b.spinTrylock(cpu)).isTrue();
            b.spinUnlock(cpu);
            a.spinUnlock(cpu);
            nest(cpu, b, a);
        });
        assertThat(m.log().total()).as("b was only trylocked under a: no cycle").isZero();
        assertThat(m.spinlocks().lockdep().dependsOn("b", "a")).isTrue();
        assertThat(m.spinlocks().lockdep().dependsOn("a", "b")).isFalse();
    }

    @Test
    void classNamesDropIndexes() {
        assertThat(Lockdep.className("page_address_htable[127].lock")).isEqualTo("page_address_htable.lock");
        assertThat(Lockdep.className("kmap_lock")).isEqualTo("kmap_lock");
    }
}
