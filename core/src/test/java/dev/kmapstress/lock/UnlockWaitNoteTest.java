package dev.kmapstress.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.userlock.UserHeldUnlock;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A CPU waiting inside an unlock that can wait is named, by the lockup detector, as waiting for
 * the lock it drops, even when it took and dropped another lock since it took that one:
 * {@code Spinlock} notes the lock again around such an unlock (the companion of
 * {@code StrategyContractTest.anUnlockThatSaysItNeverWaitsNeverWaits}, for the locks it skips
 * the note for).
 */
@Timeout(60)
class UnlockWaitNoteTest {

    @Test
    void aWaitInsideAnUnlockIsNamedAfterTheLockBeingDropped() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).lock("user-held-unlock").build());
        Spinlock outer = m.newSpinlock("outer_lock");
        Spinlock inner = m.newSpinlock("inner_lock");
        UserHeldUnlock outerStrategy = (UserHeldUnlock) outer.strategy();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        outerStrategy.holdUnlocks(true);
        Thread cpu0 = Cpus.start(m, 0, errors, cpu -> {
            outer.spinLock(cpu);
            inner.spinLock(cpu);
            inner.spinUnlock(cpu);
            outer.spinUnlock(cpu);
        });
        Cpus.await(() -> m.cpu(0).spinningOn() != null || !errors.isEmpty());
        String waitedFor = m.cpu(0).spinningOn();
        outerStrategy.holdUnlocks(false);
        cpu0.join();

        assertThat(errors).isEmpty();
        assertThat(waitedFor).isEqualTo("outer_lock");
        assertThat(m.cpu(0).spinningOn()).as("the wait ends with the unlock").isNull();
        assertThat(outer.holder()).isEqualTo(-1);
    }
}
