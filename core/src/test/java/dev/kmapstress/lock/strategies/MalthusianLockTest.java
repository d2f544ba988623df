package dev.kmapstress.lock.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.lock.Cpus;
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
        assertThat(Cpus.handOverOrder(new MalthusianLock(4), 3)).containsExactly(2, 3, 1);
    }
}
