package dev.kmapstress.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.lock.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The mutual-exclusion race every registered lock strategy is put through: two CPUs each take
 * one spinlock of that strategy, read a plain counter, write it back plus one, and release.
 * Under a lock the second CPU always sees the first one's increment.
 *
 * <p>The build writes one {@code <Strategy>LockMutualExclusion} test per strategy of
 * {@link dev.kmapstress.lock.LockRegistry} into this package; each extends this class with its
 * strategy's name and inherits these outcomes. Run them all:
 * {@code java -jar jcstress-tests/target/jcstress.jar -t LockMutualExclusion}
 */
@Outcome(id = {"saw 0, saw 1, counter 2", "saw 1, saw 0, counter 2"}, expect = ACCEPTABLE,
        desc = "The critical sections ran one after the other.")
@Outcome(id = "saw 0, saw 0, counter 1", expect = FORBIDDEN,
        desc = "Both CPUs were inside at once: one increment is lost.")
@Outcome(expect = FORBIDDEN, desc = "An oops (e.g. a lockup: the lock was never handed over).")
public abstract class MutualExclusionRace extends SmallMachine {

    private final Spinlock lock;
    /** Plain on purpose: only the lock orders the two CPUs' accesses. */
    private int counter;

    protected MutualExclusionRace(String strategy) {
        super(small(Profile.X86_PAE, 4, 4).lock(strategy));
        this.lock = m.newSpinlock("test_lock");
    }

    public void cpu0(LLL_Result r) {
        r.r1 = on(0, this::increment);
    }

    public void cpu1(LLL_Result r) {
        r.r2 = on(1, this::increment);
    }

    public void arbiter(LLL_Result r) {
        r.r3 = "counter " + counter;
    }

    private String increment(Cpu cpu) {
        lock.spinLock(cpu);
        int seen = counter;
        counter = seen + 1;
        lock.spinUnlock(cpu);
        return "saw " + seen;
    }
}
