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
 * The mutual-exclusion race every registered lock strategy is put through, locktorture-style:
 * two CPUs meet, then each takes one spinlock of that strategy 64 times, reads a plain counter
 * and writes it back plus one before releasing. Under a lock no increment is lost: the counter
 * ends at 128. Rounds, because a lock that fails only when both CPUs arrive at the same instant
 * (a test-then-set without an atomic) needs many arrivals to be caught.
 *
 * <p>Result of the committed full run (2026-11-23; 2 CPUs, AMD EPYC, OpenJDK 17.0.15;
 * {@code -iters 3 -time 300}, two JVM modes; outcomes seen, by count):
 * <p>{@code TicketLockMutualExclusion}:
 * <pre>
 *                                      RESULT    SAMPLES      FREQ  EXPECT
 *   64 increments, 64 increments, counter 128      2,314   100.00%  Acceptable
 * </pre>
 *
 * <p>{@code TasRacyLockMutualExclusion}:
 * <pre>
 *                                      RESULT    SAMPLES      FREQ  EXPECT
 *   64 increments, 64 increments, counter 128      2,939    57.97%  Acceptable
 *   64 increments, 64 increments, counter 127         64     1.26%  Forbidden
 *   64 increments, 64 increments, counter 107         60     1.18%  Forbidden
 *   64 increments, 64 increments, counter 114         60     1.18%  Forbidden
 *   64 increments, 64 increments, counter 109         59     1.16%  Forbidden
 *   64 increments, 64 increments, counter 116         59     1.16%  Forbidden
 *   ... 61 more outcomes, 1,829 samples
 * </pre>
 *
 * <p>{@code BustedLockMutualExclusion}:
 * <pre>
 *                                      RESULT    SAMPLES      FREQ  EXPECT
 *   64 increments, 64 increments, counter 128      1,833    47.77%  Acceptable
 *    64 increments, 64 increments, counter 64        179     4.67%  Forbidden
 *    64 increments, 64 increments, counter 67         56     1.46%  Forbidden
 *    64 increments, 64 increments, counter 90         56     1.46%  Forbidden
 *    64 increments, 64 increments, counter 68         54     1.41%  Forbidden
 *    64 increments, 64 increments, counter 65         52     1.36%  Forbidden
 *   ... 76 more outcomes, 1,607 samples
 * </pre>
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
