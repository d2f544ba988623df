package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.QSpinlock.MAX_NODES;
import static dev.kmapstress.lock.strategies.QSpinlock.Q_LOCKED_VAL;
import static dev.kmapstress.lock.strategies.QSpinlock.Q_PENDING_VAL;
import static dev.kmapstress.lock.strategies.QSpinlock.Q_TAIL_MASK;
import static dev.kmapstress.lock.strategies.QSpinlock.encodeTail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.lock.Cpus;
import dev.kmapstress.lock.FakeCpu;
import dev.kmapstress.lock.Holders;
import dev.kmapstress.lock.LockPlatform;
import dev.kmapstress.lock.LockStrategy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The qspinlock word through its states (tail, pending, locked), the tail code, and the
 * per-CPU nodes: one per nested slow path, shared by all locks of a machine.
 */
@Timeout(60)
class QSpinlockTest {

    private final QSpinlock.QNodes nodes = new QSpinlock.QNodes(8, false);
    private final Holders holders = new Holders();

    private QSpinlock newLock() {
        return new QSpinlock(nodes, false);
    }

    @AfterEach
    void joinAll() throws InterruptedException {
        holders.joinAll();
    }

    @Test
    void tailCodesAreCpuPlusOneAndTheNodeIndex() {
        assertThat(encodeTail(0, 0)).as("CPU 0's first node is not 'no tail'").isEqualTo(1 << 18).isNotZero();
        assertThat(encodeTail(3, 2)).isEqualTo(4 << 18 | 2 << 16);
        for (int cpu = 0; cpu < 32; cpu++) {
            for (int idx = 0; idx < MAX_NODES; idx++) {
                int tail = encodeTail(cpu, idx);
                assertThat(tail & ~Q_TAIL_MASK).isZero();
                assertThat(QSpinlock.tailCpu(tail)).isEqualTo(cpu);
                assertThat(QSpinlock.tailIdx(tail)).isEqualTo(idx);
                assertThat(QSpinlock.decodeTail(tail)).isEqualTo(cpu * MAX_NODES + idx);
            }
        }
        int big = encodeTail((1 << QSpinlock.Q_TAIL_CPU_BITS) - 2, 3);
        assertThat(QSpinlock.tailCpu(big)).as("the top bit is a CPU bit, not a sign").isEqualTo((1 << 14) - 2);
    }

    @Test
    void fastPathIsOneCompareAndSetAndUnlockClearsTheLockedByte() {
        QSpinlock lock = newLock();
        FakeCpu cpu = new FakeCpu(0);
        assertThat(lock.word()).isZero();
        lock.lock(cpu);
        assertThat(lock.word()).as("(0,0,1)").isEqualTo(Q_LOCKED_VAL);
        assertThat(lock.tryLock(new FakeCpu(1))).isFalse();
        lock.unlock(cpu);
        assertThat(lock.word()).as("(0,0,0)").isZero();
        assertThat(cpu.spins()).isZero();
    }

    /**
     * Holder H (CPU 0), a pending waiter P (CPU 1) and two queued waiters Q1, Q2 (CPUs 2, 3):
     * the word goes (0,0,1) → (0,1,1) → (n2,1,1) → (n3,1,1), then, as each lets go,
     * (n3,0,1) for P, (n3,0,1) for Q1 (others behind it: it only sets locked), and (0,0,1) for
     * Q2, the whole queue, which claims the word.
     */
    @Test
    void wordGoesThroughPendingAndQueueStates() {
        QSpinlock lock = newLock();
        FakeCpu h = new FakeCpu(0);
        FakeCpu p = new FakeCpu(1);
        FakeCpu q1 = new FakeCpu(2);
        FakeCpu q2 = new FakeCpu(3);
        lock.lock(h);
        AtomicBoolean pHolds = new AtomicBoolean();
        AtomicBoolean q1Holds = new AtomicBoolean();
        AtomicBoolean q2Holds = new AtomicBoolean();
        AtomicBoolean releaseP = holders.holdInThread(lock, p, pHolds);
        Cpus.await(() -> lock.word() == (Q_PENDING_VAL | Q_LOCKED_VAL));
        AtomicBoolean releaseQ1 = holders.holdInThread(lock, q1, q1Holds);
        Cpus.await(() -> lock.word() == (encodeTail(2, 0) | Q_PENDING_VAL | Q_LOCKED_VAL));
        AtomicBoolean releaseQ2 = holders.holdInThread(lock, q2, q2Holds);
        Cpus.await(() -> lock.word() == (encodeTail(3, 0) | Q_PENDING_VAL | Q_LOCKED_VAL));
        Cpus.await(q2::waiting);
        assertThat(p.waiting()).as("P spins on the locked byte").isTrue();

        lock.unlock(h);
        Cpus.await(pHolds::get);
        assertThat(lock.word()).as("P took it: pending cleared, locked set").isEqualTo(encodeTail(3, 0) | Q_LOCKED_VAL);
        releaseP.set(true);
        Cpus.await(q1Holds::get);
        assertThat(lock.word()).as("Q1 is head with Q2 behind: sets locked only").isEqualTo(encodeTail(3, 0) | Q_LOCKED_VAL);
        releaseQ1.set(true);
        Cpus.await(q2Holds::get);
        assertThat(lock.word()).as("Q2 is the whole queue: claims with tail cleared").isEqualTo(Q_LOCKED_VAL);
        releaseQ2.set(true);
        Cpus.await(() -> !q2Holds.get());
        assertThat(lock.word()).isZero();
        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(nodes.count(cpu)).as("CPU " + cpu + " released its node").isZero();
        }
    }

    /**
     * The task on CPU 0 is queued on lock A (node 0) when an interrupt arrives and its handler
     * must queue on lock B: it uses CPU 0's next node, and both queues hold CPU 0 at once.
     */
    @Test
    void anInterruptHandlerQueuesOnItsOwnNode() {
        QSpinlock a = newLock();
        QSpinlock b = newLock();
        FakeCpu holder = new FakeCpu(1);
        a.lock(holder);
        b.lock(holder);
        AtomicBoolean pendingA = new AtomicBoolean();
        AtomicBoolean pendingB = new AtomicBoolean();
        AtomicBoolean releasePendingA = holders.holdInThread(a, new FakeCpu(2), pendingA);
        Cpus.await(() -> a.word() == (Q_PENDING_VAL | Q_LOCKED_VAL));
        AtomicBoolean releasePendingB = holders.holdInThread(b, new FakeCpu(3), pendingB);
        Cpus.await(() -> b.word() == (Q_PENDING_VAL | Q_LOCKED_VAL));

        FakeCpu cpu0 = new FakeCpu(0);
        AtomicInteger tailsSeenInHandler = new AtomicInteger(-1);
        AtomicBoolean handlerHolds = new AtomicBoolean();
        cpu0.interruptAtNextSpin(() -> {
            tailsSeenInHandler.set(a.word() & Q_TAIL_MASK);
            b.lock(cpu0);
            handlerHolds.set(true);
            b.unlock(cpu0);
        });
        AtomicBoolean taskHolds = new AtomicBoolean();
        AtomicBoolean releaseTask = holders.holdInThread(a, cpu0, taskHolds);

        Cpus.await(() -> (b.word() & Q_TAIL_MASK) != 0);
        assertThat(tailsSeenInHandler.get()).as("the task is queued on A with node 0").isEqualTo(encodeTail(0, 0));
        assertThat(b.word() & Q_TAIL_MASK).as("the handler queues on B with node 1").isEqualTo(encodeTail(0, 1));
        assertThat(a.word() & Q_TAIL_MASK).isEqualTo(encodeTail(0, 0));
        assertThat(nodes.count(0)).as("two slow paths in progress on CPU 0").isEqualTo(2);

        b.unlock(holder);
        Cpus.await(pendingB::get);
        releasePendingB.set(true);
        Cpus.await(handlerHolds::get);
        a.unlock(holder);
        Cpus.await(pendingA::get);
        releasePendingA.set(true);
        Cpus.await(taskHolds::get);
        assertThat(nodes.count(0)).as("the task's slow path ended; the handler's too").isZero();
        releaseTask.set(true);
    }

    /** With all four nodes of a CPU in use, a fifth nested slow path spins on the word itself. */
    @Test
    void withoutAFreeNodeACpuSpinsOnTrylock() {
        QSpinlock lock = newLock();
        FakeCpu holder = new FakeCpu(1);
        lock.lock(holder);
        AtomicBoolean pendingHolds = new AtomicBoolean();
        AtomicBoolean releasePending = holders.holdInThread(lock, new FakeCpu(2), pendingHolds);
        Cpus.await(() -> lock.word() == (Q_PENDING_VAL | Q_LOCKED_VAL));
        int countAt = QSpinlock.QNodes.word(0, QSpinlock.QNodes.COUNT);
        nodes.words[countAt] = MAX_NODES;
        FakeCpu cpu0 = new FakeCpu(0);
        AtomicBoolean holds = new AtomicBoolean();
        AtomicBoolean release = holders.holdInThread(lock, cpu0, holds);
        Cpus.await(() -> cpu0.spins() > 100);
        assertThat(lock.word() & Q_TAIL_MASK).as("no node, so no tail").isZero();
        lock.unlock(holder);
        Cpus.await(pendingHolds::get);
        releasePending.set(true);
        Cpus.await(holds::get);
        assertThat(lock.word()).isEqualTo(Q_LOCKED_VAL);
        release.set(true);
        Cpus.await(() -> !holds.get());
        assertThat(nodes.count(0)).as("the count is back where the nested paths left it").isEqualTo(MAX_NODES);
    }

    @Test
    void locksOfOneMachineShareTheirNodes() {
        QSpinlock.Provider p = new QSpinlock.Provider();
        var factory = p.forMachine(new LockPlatform(2, false));
        QSpinlock x = (QSpinlock) factory.get();
        QSpinlock y = (QSpinlock) factory.get();
        QSpinlock alone = (QSpinlock) p.create(2);
        assertThat(x.nodes()).isSameAs(y.nodes()).isNotSameAs(alone.nodes());
    }
}
