package dev.kmapstress.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.lock.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Outcome;

/**
 * The mutual-exclusion race every registered lock strategy is put through: two CPUs each take
 * one spinlock of that strategy, read a plain counter, write it back plus one, and release.
 * The generated {@code <Strategy>LockMutualExclusion} tests in this package run it (the build
 * writes one per strategy of {@link dev.kmapstress.lock.LockRegistry}) and take their outcomes
 * from here. Under a lock the second CPU always sees the first one's increment.
 */
@Outcome(id = {"saw 0, saw 1, counter 2", "saw 1, saw 0, counter 2"}, expect = ACCEPTABLE,
        desc = "The critical sections ran one after the other.")
@Outcome(id = "saw 0, saw 0, counter 1", expect = FORBIDDEN,
        desc = "Both CPUs were inside at once: one increment is lost.")
@Outcome(expect = FORBIDDEN, desc = "An oops (e.g. a lockup: the lock was never handed over).")
public class MutualExclusionRace extends SmallMachine {

    private final Spinlock lock;
    /** Plain on purpose: only the lock orders the two CPUs' accesses. */
    private int counter;

    public MutualExclusionRace(String strategy) {
        super(small(Profile.X86_PAE, 4, 4).lock(strategy));
        this.lock = m.newSpinlock("test_lock");
    }

    public String cpu0() {
        return on(0, this::increment);
    }

    public String cpu1() {
        return on(1, this::increment);
    }

    private String increment(Cpu cpu) {
        lock.spinLock(cpu);
        int seen = counter;
        counter = seen + 1;
        lock.spinUnlock(cpu);
        return "saw " + seen;
    }

    public String after() {
        return "counter " + counter;
    }
}
