package dev.kmapstress.lock.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.lock.Cpus;
import dev.kmapstress.lock.FakeCpu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Malthusian lock's concurrency restriction, seen in the order waiters get the lock. */
@Timeout(60)
class MalthusianLockTest {

    /**
     * The holder keeps the lock while CPUs 1, 2, 3 queue in that order. Its unlock finds two
     * waiters behind its successor 1, so 1 goes passive and 2 gets the lock; 2 hands over to 3
     * (nobody behind it); 3 finds the queue empty and admits the passive 1 instead of freeing
     * the lock.
     */
    @Test
    void theHolderCullsItsSuccessorWhenOthersWaitAndReadmitsItWhenTheQueueEmpties() throws Exception {
        MalthusianLock lock = new MalthusianLock(4);
        FakeCpu holder = new FakeCpu(0);
        List<Integer> order = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        lock.lock(holder);
        for (int w = 1; w <= 3; w++) {
            FakeCpu cpu = new FakeCpu(w);
            int id = w;
            Thread t = new Thread(() -> {
                lock.lock(cpu);
                order.add(id);
                lock.unlock(cpu);
            }, "waiter-" + w);
            t.start();
            threads.add(t);
            Cpus.await(cpu::waiting);
        }
        lock.unlock(holder);
        for (Thread t : threads) {
            Cpus.join(t);
        }
        assertThat(order).containsExactly(2, 3, 1);
    }
}
