package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every registered strategy promises, tested on bare {@link FakeCpu}s: mutual exclusion,
 * trylock semantics, FIFO hand-over where claimed, no allocation; and that the deliberately
 * broken ones do break mutual exclusion.
 */
@Timeout(120)
class StrategyContractTest {

    static Stream<String> real() {
        return LockRegistry.standard().realNames().stream();
    }

    static Stream<String> broken() {
        return LockRegistry.standard().providers().stream().filter(LockStrategyProvider::broken)
                .map(LockStrategyProvider::name);
    }

    static Stream<String> fifo() {
        return LockRegistry.standard().providers().stream().filter(LockStrategyProvider::fifo)
                .map(LockStrategyProvider::name);
    }

    private static LockStrategy create(String name, int cpus) {
        return LockRegistry.standard().get(name).create(cpus);
    }

    @ParameterizedTest
    @MethodSource("real")
    void excludesUnderContention(String name) throws Exception {
        assertThat(Hammer.run(create(name, 3), 3, 10_000)).isEqualTo(30_000);
    }

    @ParameterizedTest
    @MethodSource("broken")
    void brokenStrategiesLoseIncrements(String name) throws Exception {
        int rounds = 0;
        int count;
        do {
            count = Hammer.run(create(name, 2), 2, 50_000);
            rounds++;
        } while (count == 100_000 && rounds < 200);
        assertThat(count).as(name + " never let two CPUs in at once in " + rounds + " rounds")
                .isLessThan(100_000);
    }

    @Test
    void registryKnowsEveryStrategyOfTheIssue() {
        assertThat(LockRegistry.standard().names()).contains("tas", "ttas", "ticket", "anderson",
                "mcs", "clh", "qspinlock", "reentrant", "reentrant-fair", "synchronized", "busted",
                "tas-racy", "pvqspinlock", "mcs-stp", "malthusian", "hemlock", "partitioned-ticket");
        assertThat(LockRegistry.standard().realNames()).as("issue 18.7: at least 15 real strategies").hasSizeGreaterThanOrEqualTo(15);
        assertThat(broken()).containsExactlyInAnyOrder("busted", "tas-racy");
        assertThat(LockRegistry.standard().get("clh").supportsTryLock()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("real")
    void tryLockTakesAFreeLockOnlyAndNeverWaits(String name) throws Exception {
        LockStrategyProvider p = LockRegistry.standard().get(name);
        LockStrategy lock = p.create(2);
        FakeCpu me = new FakeCpu(0);
        if (!p.supportsTryLock()) {
            assertThatThrownBy(() -> lock.tryLock(me)).isInstanceOf(UnsupportedOperationException.class);
            return;
        }
        assertThat(lock.tryLock(me)).isTrue();
        AtomicReference<Boolean> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(lock.tryLock(new FakeCpu(1))));
        t.start();
        Cpus.join(t);
        assertThat(other.get()).as("trylock of a held lock").isFalse();
        lock.unlock(me);
        Thread again = new Thread(() -> {
            FakeCpu cpu = new FakeCpu(1);
            other.set(lock.tryLock(cpu));
            lock.unlock(cpu);
        });
        again.start();
        Cpus.join(again);
        assertThat(other.get()).as("trylock after unlock").isTrue();
        lock.lock(me);
        lock.unlock(me);
        assertThat(me.spins()).as("a free lock is taken without spinning").isZero();
    }

    /**
     * An AA deadlock never lets the CPU in: the holder takes its lock again, as a recursive
     * spin_lock (same context) or an interrupt handler on the holder's CPU (hard-IRQ context)
     * does, and must spin until the lockup detector fires rather than enter a second time.
     */
    @ParameterizedTest
    @MethodSource("real")
    void aCpuTakingALockItHoldsSpinsInsteadOfEntering(String name) {
        for (int context : new int[] {0, 2}) {
            LockStrategy lock = create(name, 2);
            FakeCpu holder = new FakeCpu(0);
            lock.lock(holder);
            holder.lockupAfter(20);
            assertThatThrownBy(() -> holder.inContext(context, () -> lock.lock(holder)))
                    .as("%s taken again in context %d", name, context).isInstanceOf(FakeCpu.Lockup.class);
        }
    }

    @ParameterizedTest
    @MethodSource("real")
    void trylockOfALockTheCpuHoldsFails(String name) {
        LockStrategyProvider p = LockRegistry.standard().get(name);
        Assumptions.assumeTrue(p.supportsTryLock(), name + " has no trylock");
        LockStrategy lock = p.create(2);
        FakeCpu holder = new FakeCpu(0);
        lock.lock(holder);
        assertThat(lock.tryLock(holder)).isFalse();
        holder.inContext(2, () -> assertThat(lock.tryLock(holder)).as("in an interrupt handler").isFalse());
        lock.unlock(holder);
    }

    /**
     * The holder keeps the lock while three waiters arrive one after another, each only once
     * the previous one is visibly waiting (it has spun); they must get it in arrival order.
     */
    @ParameterizedTest
    @MethodSource("fifo")
    void fifoStrategiesHandOverInArrivalOrder(String name) throws Exception {
        assertThat(Cpus.handOverOrder(create(name, 4), 3)).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @MethodSource("real")
    void uncontendedLockAndUnlockAllocateNothing(String name) {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LockStrategy lock = create(name, 2);
        FakeCpu cpu = new FakeCpu(0);
        long allocated = 0;
        for (int round = 0; round < 2; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                lock.lock(cpu);
                lock.unlock(cpu);
            }
            allocated = bean.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated).as("bytes for 100k lock/unlock pairs").isLessThan(1_000);
    }

    static Stream<String> unlockNeverWaits() {
        return LockRegistry.standard().names().stream().filter(n -> !create(n, 3).unlockWaits());
    }

    @Test
    void onlyStrategiesWhoseUnlockCannotWaitSaySo() {
        assertThat(unlockNeverWaits()).containsExactlyInAnyOrder("anderson", "busted", "clh",
                "partitioned-ticket", "pvqspinlock", "qspinlock", "tas", "tas-racy", "ticket", "ttas");
        LockStrategy userLock = new LockStrategy() {
            @Override public void lock(CpuContext cpu) { }
            @Override public void unlock(CpuContext cpu) { }
            @Override public boolean tryLock(CpuContext cpu) { return true; }
        };
        assertThat(userLock.unlockWaits()).as("a strategy that does not say").isTrue();
    }

    /**
     * A strategy whose unlock says it never waits is released with no lockup-detector note
     * ({@code Spinlock}): so it must not spin or block there, also with waiters queued behind.
     */
    @ParameterizedTest
    @MethodSource("unlockNeverWaits")
    void anUnlockThatSaysItNeverWaitsNeverWaits(String name) throws Exception {
        LockStrategy lock = create(name, 3);
        AtomicReference<String> waited = new AtomicReference<>();
        Thread[] threads = new Thread[3];
        for (int i = 0; i < threads.length; i++) {
            UnlockWatch cpu = new UnlockWatch(new FakeCpu(i), waited);
            threads[i] = new Thread(() -> {
                for (int n = 0; n < 100_000 && waited.get() == null; n++) {
                    lock.lock(cpu);
                    cpu.unlocking = true;
                    lock.unlock(cpu);
                    cpu.unlocking = false;
                }
            });
            threads[i].start();
        }
        Cpus.join(threads);
        assertThat(waited.get()).as(name + "'s unlock").isNull();
    }

    /** A CPU that records a spin or a blocking wait made inside unlock. */
    private static final class UnlockWatch implements CpuContext {
        private final FakeCpu cpu;
        private final AtomicReference<String> waited;
        boolean unlocking;

        UnlockWatch(FakeCpu cpu, AtomicReference<String> waited) {
            this.cpu = cpu;
            this.waited = waited;
        }

        @Override public int id() { return cpu.id(); }
        @Override public int nestingContext() { return cpu.nestingContext(); }

        @Override
        public void cpuRelax() {
            note("spun");
            cpu.cpuRelax();
        }

        @Override
        public void blockingWaitBegin() {
            note("blocked");
            cpu.blockingWaitBegin();
        }

        @Override
        public void blockingWaitEnd() {
            cpu.blockingWaitEnd();
        }

        private void note(String how) {
            if (unlocking) {
                waited.compareAndSet(null, "CPU" + cpu.id() + " " + how + " in unlock");
            }
        }
    }
}
