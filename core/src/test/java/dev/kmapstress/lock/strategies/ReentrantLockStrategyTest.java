package dev.kmapstress.lock.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.lock.Cpus;
import dev.kmapstress.lock.FakeCpu;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the ReentrantLock adapters promise beyond the common contract. */
@Timeout(60)
class ReentrantLockStrategyTest {

    /** Rounds of the barging race: a barging trylock won about one in four on a loaded 2-CPU host. */
    private static final int ROUNDS = 40;

    /**
     * The holder releases the fair lock while CPU1 is queued and parked, then at once tries it
     * again: the queued CPU is first, so the trylock must fail. CPU1 keeps the lock once it has
     * it until the round is over, so a trylock that succeeds can only have barged. A barging
     * trylock loses the race whenever the host runs the unparked waiter before the releasing
     * thread's next instruction (wake-up preemption), hence the rounds.
     */
    @Test
    void fairTrylockDoesNotBargePastAQueuedCpu() throws Exception {
        int barged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            barged += bargingRound() ? 1 : 0;
        }
        assertThat(barged).as("rounds of %d in which trylock took the lock from a queued CPU", ROUNDS).isZero();
    }

    private static boolean bargingRound() throws InterruptedException {
        ReentrantLockStrategy lock = new ReentrantLockStrategy(true);
        FakeCpu holder = new FakeCpu(0);
        lock.lock(holder);
        AtomicBoolean done = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            FakeCpu cpu = new FakeCpu(1);
            lock.lock(cpu);
            Cpus.await(done::get);
            lock.unlock(cpu);
        }, "cpu1");
        waiter.start();
        Cpus.await(() -> lock.hasQueuedThreads() && waiter.getState() == Thread.State.TIMED_WAITING);
        lock.unlock(holder);
        boolean barged = lock.tryLock(holder);
        if (barged) {
            lock.unlock(holder);
        }
        done.set(true);
        Cpus.join(waiter);
        return barged;
    }
}
