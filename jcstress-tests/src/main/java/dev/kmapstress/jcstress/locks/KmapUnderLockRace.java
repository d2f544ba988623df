package dev.kmapstress.jcstress.locks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap under a lock strategy: with that strategy as kmap_lock (and every other spinlock of the
 * machine), two CPUs meet, then each maps, reads and unmaps a page it shares with the other and
 * a page of its own, 32 times, on a four-slot window, so the shared slot's count, the scan and
 * the wrap-around flush are all contended. Under a real lock every read shows the page it was
 * mapped for and nobody is left using a slot.
 *
 * <p>Result of the committed full run (2026-11-23; 2 CPUs, AMD EPYC, OpenJDK 17.0.15;
 * {@code -iters 3 -time 300}, two JVM modes; outcomes seen, by count):
 * <p>{@code TicketLockKmapUnderLock}:
 * <pre>
 *                                                                  RESULT    SAMPLES      FREQ  EXPECT
 *   p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 0      1,507   100.00%  Acceptable
 * </pre>
 *
 * <p>{@code TasRacyLockKmapUnderLock}:
 * <pre>
 *                                                                  RESULT    SAMPLES      FREQ  EXPECT
 *   p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 0         89    85.58%  Acceptable
 *   p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 1          6     5.77%  Forbidden
 *                                         BUG, SOFT_LOCKUP, users left: 1          3     2.88%  Forbidden
 *                                         SOFT_LOCKUP, BUG, users left: 0          2     1.92%  Forbidden
 *                                         SOFT_LOCKUP, BUG, users left: 1          2     1.92%  Forbidden
 *                                         BUG, SOFT_LOCKUP, users left: 0          1     0.96%  Forbidden
 *   ... 1 more outcomes, 1 samples
 * </pre>
 *
 * <p>{@code BustedLockKmapUnderLock}:
 * <pre>
 *                                                                  RESULT    SAMPLES      FREQ  EXPECT
 *   p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 0        338    58.08%  Acceptable
 *                                                 BUG, BUG, users left: 1        130    22.34%  Forbidden
 *                                                 BUG, BUG, users left: 0         60    10.31%  Forbidden
 *   p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 1         13     2.23%  Forbidden
 *                          p0 and p1 in all 32 rounds, BUG, users left: 1          8     1.37%  Forbidden
 *   p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 2          7     1.20%  Forbidden
 *   ... 14 more outcomes, 26 samples
 * </pre>
 *
 * <p>The build writes one {@code <Strategy>KmapUnderLock} test per strategy of
 * {@link dev.kmapstress.lock.LockRegistry} into this package; each extends this class with its
 * strategy's name and inherits these outcomes. Run them all:
 * {@code java -jar jcstress-tests/target/jcstress.jar -t KmapUnderLock}
 */
@Outcome(id = "p0 and p1 in all 32 rounds, p0 and p2 in all 32 rounds, users left: 0", expect = ACCEPTABLE,
        desc = "Every mapping showed its page; every use was dropped.")
@Outcome(id = {"BUG, .*", ".*, BUG, .*"}, expect = FORBIDDEN,
        desc = "kmap_high or kunmap_high found a count that updates outside the lock had broken.")
@Outcome(id = {".*round \\d+ read .*", ".*, users left: [1-9]\\d*"}, expect = FORBIDDEN,
        desc = "A mapping showed another page, or a count kept a user nobody has.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a page fault, a lockup, another oops.")
public abstract class KmapUnderLockRace extends SmallMachine {

    private static final int ROUNDS = 32;

    protected KmapUnderLockRace(String strategy) {
        super(small(Profile.X86_PAE, 4, 4).lock(strategy));
    }

    public void cpu0(LLL_Result r) {
        r.r1 = together(0, cpu -> rounds(cpu, p(1)));
    }

    public void cpu1(LLL_Result r) {
        r.r2 = together(1, cpu -> rounds(cpu, p(2)));
    }

    public void arbiter(LLL_Result r) {
        r.r3 = usersLeft();
    }

    /** Maps, reads and unmaps the shared p0 and then {@code own}, round after round. */
    private String rounds(Cpu cpu, Page own) {
        for (int i = 0; i < ROUNDS; i++) {
            for (Page p : new Page[] {p(0), own}) {
                String seen = read(cpu, kmap(cpu, p));
                kunmap(cpu, p);
                if (!seen.equals(p.name())) {
                    return "round " + i + " read " + seen;
                }
            }
        }
        return "p0 and " + own.name() + " in all " + ROUNDS + " rounds";
    }
}
