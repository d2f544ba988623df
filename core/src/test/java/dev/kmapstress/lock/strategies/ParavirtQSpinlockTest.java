package dev.kmapstress.lock.strategies;

import static dev.kmapstress.lock.strategies.QSpinlock.Q_LOCKED_MASK;
import static dev.kmapstress.lock.strategies.QSpinlock.Q_LOCKED_VAL;
import static dev.kmapstress.lock.strategies.QSpinlock.Q_SLOW_VAL;
import static dev.kmapstress.lock.strategies.QSpinlock.Q_TAIL_MASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.lock.FakeCpu;
import dev.kmapstress.lock.Holders;
import dev.kmapstress.lock.LockStrategy;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * qspinlock under a hypervisor: x86's virt_spin_lock (no queue, no pending bit), and the
 * paravirt lock's halting waiters, its _Q_SLOW_VAL hand-offs and the pv hash.
 */
@Timeout(60)
class ParavirtQSpinlockTest {

    private final Holders holders = new Holders();

    @AfterEach
    void joinAll() throws InterruptedException {
        holders.joinAll();
    }

    private static boolean parked(Thread t) {
        return t.getState() == Thread.State.TIMED_WAITING;
    }

    /**
     * hypervisor=true on a machine with lock=qspinlock: two CPUs wait for a held lock and the
     * word stays (0,0,1), no pending bit, no tail: virt_spin_lock spins on the word.
     */
    @Test
    void underAHypervisorQspinlockWaitersSpinOnTheWordWithoutQueueing() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 3).lock("qspinlock").hypervisor(true).build());
        Spinlock l = m.newSpinlock("test_lock");
        QSpinlock q = (QSpinlock) l.strategy();
        List<Thread> waiters = new ArrayList<>();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            l.spinLock(s.cpu());
            for (int n = 1; n <= 2; n++) {
                waiters.add(Cpus.start(m, n, holders.errors(), cpu -> {
                    l.spinLock(cpu);
                    l.spinUnlock(cpu);
                }));
                Cpu cpu = m.cpu(n);
                Cpus.await(() -> cpu.spinningSince() != 0);
            }
            assertThat(q.word()).as("(0,0,1): neither pending nor queued").isEqualTo(Q_LOCKED_VAL);
            l.spinUnlock(s.cpu());
        }
        for (Thread t : waiters) {
            Cpus.join(t);
        }
        assertThat(q.word()).isZero();
    }

    /**
     * The queue head of a paravirt lock spins SPIN_THRESHOLD times, then hashes itself, marks
     * the lock _Q_SLOW_VAL and halts; the unlock sees _Q_SLOW_VAL, unhashes it and kicks it.
     */
    @Test
    void aHaltedQueueHeadIsKickedByTheUnlock() {
        QSpinlock lock = (QSpinlock) new QSpinlock.Paravirt().create(4);
        FakeCpu h = new FakeCpu(0);
        lock.lock(h);
        AtomicBoolean headHolds = new AtomicBoolean();
        AtomicBoolean releaseHead = holders.holdInThread(lock, new FakeCpu(1), headHolds);
        Thread head = holders.thread(0);
        Cpus.await(() -> (lock.word() & Q_LOCKED_MASK) == Q_SLOW_VAL);
        Cpus.await(() -> parked(head));
        lock.unlock(h);
        Cpus.await(headHolds::get);
        assertThat(lock.word()).as("the head was the whole queue: (0,0,1)").isEqualTo(Q_LOCKED_VAL);
        releaseHead.set(true);
    }

    /**
     * Holder H, queue head A halted on _Q_SLOW_VAL, and B queued behind A, which halts early
     * because A is not running. When A gets the lock it grants B and, B being halted,
     * pv_kick_node marks the lock _Q_SLOW_VAL and hashes it to B instead of waking B; A's
     * unlock then kicks B. A halt ends at the latest after a slice (as a guest's HLT ends on
     * any interrupt), after which B spins a while before halting again: if A's hand-over falls
     * in such a moment it grants a running B directly, a legal interleaving that proves
     * nothing here, so the scene is staged again (a few times at most).
     */
    @Test
    void theHolderHashesAHaltedSuccessorSoItsUnlockKicksIt() {
        int attempts = 0;
        while (!handOverFoundTheSuccessorHalted()) {
            assertThat(++attempts).as("A's hand-over never found B halted").isLessThan(5);
        }
    }

    /** One staging of the scene above; whether A's hand-over found B halted (and B was then kicked). */
    private boolean handOverFoundTheSuccessorHalted() {
        QSpinlock lock = (QSpinlock) new QSpinlock.Paravirt().create(4);
        FakeCpu h = new FakeCpu(0);
        lock.lock(h);
        AtomicBoolean aHolds = new AtomicBoolean();
        AtomicBoolean releaseA = holders.holdInThread(lock, new FakeCpu(1), aHolds);
        Cpus.await(() -> (lock.word() & Q_LOCKED_MASK) == Q_SLOW_VAL);
        AtomicBoolean bHolds = new AtomicBoolean();
        AtomicBoolean releaseB = holders.holdInThread(lock, new FakeCpu(2), bHolds);
        Thread b = holders.last();
        Cpus.await(() -> (lock.word() & Q_TAIL_MASK) == QSpinlock.encodeTail(2, 0));
        Cpus.await(() -> parked(b));
        lock.unlock(h);
        Cpus.await(aHolds::get);
        boolean halted = (lock.word() & Q_LOCKED_MASK) == Q_SLOW_VAL;
        if (halted) {
            assertThat(bHolds).as("B was halted: it waits for A's unlock to kick it").isFalse();
        }
        releaseA.set(true);
        Cpus.await(bHolds::get);
        assertThat(lock.word()).isEqualTo(Q_LOCKED_VAL);
        releaseB.set(true);
        Cpus.await(() -> !bHolds.get());
        return halted;
    }

    @Test
    void thePvHashFindsEveryEntryAndRefusesWhenFull() {
        QSpinlock.PvHash hash = new QSpinlock.PvHash(2);
        int size = QSpinlock.PvHash.PV_HE_MIN;
        int[] entries = new int[size];
        for (int lock = 1; lock <= size; lock++) {
            entries[lock - 1] = hash.pvHash(lock, lock % 8);
        }
        assertThat(entries).doesNotHaveDuplicates();
        assertThatThrownBy(() -> hash.pvHash(size + 1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pv_hash");
        for (int lock = size; lock >= 1; lock--) {
            assertThat(hash.pvUnhash(lock)).isEqualTo(lock % 8);
        }
        assertThatThrownBy(() -> hash.pvUnhash(1)).isInstanceOf(IllegalStateException.class);
    }
}
