package dev.kmapstress.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The mutual-exclusion race every registered lock strategy is put through, locktorture-style:
 * two CPUs meet, then each takes one spinlock of that strategy 64 times, reads a plain counter
 * and writes it back plus one before releasing. Under a lock no increment is lost: the counter
 * ends at 128. Rounds, because a lock that fails only when both CPUs arrive at the same instant
 * (a test-then-set without an atomic) needs many arrivals to be caught.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>The build writes one {@code <Strategy>MutualExclusion} test per strategy of
 * {@link dev.kmapstress.lock.LockRegistry} into this package; each extends this class with its
 * strategy's name and inherits these outcomes. Run them all:
 * {@code java -jar jcstress-tests/target/jcstress.jar -t MutualExclusion}
 */
@Outcome(id = "64 increments, 64 increments, counter 128", expect = ACCEPTABLE,
        desc = "Every critical section ran alone.")
@Outcome(id = "64 increments, 64 increments, counter \\d+", expect = FORBIDDEN,
        desc = "Increments lost: both CPUs were inside at once.")
@Outcome(expect = FORBIDDEN, desc = "An oops (e.g. a lockup: the lock was never handed over).")
public abstract class MutualExclusionRace extends SmallMachine {

    private static final int ROUNDS = 64;

    private final Spinlock lock;
    /** Plain on purpose: only the lock orders the two CPUs' accesses. */
    private int counter;

    protected MutualExclusionRace(String strategy) {
        super(small(Profile.X86_PAE, 4, 4).lock(strategy));
        this.lock = m.newSpinlock("test_lock");
    }

    public void cpu0(LLL_Result r) {
        r.r1 = together(0, this::increments);
    }

    public void cpu1(LLL_Result r) {
        r.r2 = together(1, this::increments);
    }

    public void arbiter(LLL_Result r) {
        r.r3 = "counter " + counter;
    }

    private String increments(Cpu cpu) {
        for (int i = 0; i < ROUNDS; i++) {
            lock.spinLock(cpu);
            counter = counter + 1;
            lock.spinUnlock(cpu);
        }
        return ROUNDS + " increments";
    }
}
