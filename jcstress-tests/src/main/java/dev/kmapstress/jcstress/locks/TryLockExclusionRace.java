package dev.kmapstress.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.locking.Spinlock;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Mutual exclusion through trylock, for every registered strategy that has one: CPU 0 takes a
 * spinlock of that strategy 64 times with {@code spin_lock}, CPU 1 tries it 64 times with
 * {@code spin_trylock}; each, when inside, reads a plain counter and writes it back plus one.
 * No increment may be lost, however many trylocks succeed. The lock cycles through its states
 * (and a slot-array lock through all its slots) while CPU 1 keeps trying, so a trylock that
 * trusts a stale view of the lock (Anderson's granted slot read before the tail, see
 * {@code AndersonLock.tryLock}) would let two CPUs in; on x86, which keeps loads in order,
 * that needs a weakly ordered machine to show.
 *
 * <p>The build writes one {@code <Strategy>TryLockExclusion} test per strategy of
 * {@link dev.kmapstress.lock.LockRegistry} that supports trylock into this package; each
 * extends this class with its strategy's name. Run them all:
 * {@code java -jar jcstress-tests/target/jcstress.jar -t TryLockExclusion}
 */
@Outcome(id = "64 locked, trylock won \\d+ times, no increment lost", expect = ACCEPTABLE,
        desc = "Every critical section ran alone, and trylock got in at least once.")
@Outcome(id = "64 locked, trylock never won, no increment lost", expect = ACCEPTABLE_INTERESTING,
        desc = "Correct, but CPU 1 never found the lock free: the race was not exercised.")
@Outcome(id = ".*, lost \\d+ increments?", expect = FORBIDDEN,
        desc = "Increments lost: a trylock succeeded while the other CPU was inside.")
@Outcome(expect = FORBIDDEN, desc = "An oops (e.g. a lockup: the lock was never released).")
public abstract class TryLockExclusionRace extends SmallMachine {

    private static final int ROUNDS = 64;

    private final Spinlock lock;
    /** Plain on purpose: only the lock orders the two CPUs' accesses. */
    private int counter;
    /** Written by CPU 1 only, read by the arbiter. */
    private int won;

    protected TryLockExclusionRace(String strategy) {
        super(small(Profile.X86_PAE, 4, 4).lock(strategy));
        this.lock = m.newSpinlock("test_lock");
    }

    public void cpu0(LLL_Result r) {
        r.r1 = together(0, this::locked);
    }

    public void cpu1(LLL_Result r) {
        r.r2 = together(1, this::trylocked);
    }

    public void arbiter(LLL_Result r) {
        int lost = ROUNDS + won - counter;
        r.r3 = lost == 0 ? "no increment lost" : "lost " + lost + (lost == 1 ? " increment" : " increments");
    }

    private String locked(Cpu cpu) {
        for (int i = 0; i < ROUNDS; i++) {
            lock.spinLock(cpu);
            counter = counter + 1;
            lock.spinUnlock(cpu);
        }
        return ROUNDS + " locked";
    }

    private String trylocked(Cpu cpu) {
        for (int i = 0; i < ROUNDS; i++) {
            if (lock.spinTrylock(cpu)) {
                counter = counter + 1;
                won++;
                lock.spinUnlock(cpu);
            }
        }
        return won == 0 ? "trylock never won" : "trylock won " + won + " times";
    }
}
