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
 * a page of its own, 8 times, on a four-slot window. The first round races two
 * map_new_virtual() scans for the free slots and the shared page's first mapping; every later
 * round is a contended hit (the three pages stay mapped at count 1 between uses, so the window
 * never wraps) on the shared slot's count and the page_address bucket. Under a real lock every
 * read shows the page it was mapped for and nobody is left using a slot.
 *
 * <p>Why 8 rounds and not more: later rounds only repeat the contended hit, and a
 * round costs the same lock hand-overs as the first, so more rounds buy no new interleaving but
 * fewer samples. A lock that parks its waiters pays a park and a wake-up per hand-over: with 32
 * rounds the fair ReentrantLock's test could not reach the full run's 100,000 samples within the
 * run's 20 minutes (its cost per sample: jcstress-tests/README.md, "Density").
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>The build writes one {@code <Strategy>KmapUnderLock} test per strategy of
 * {@link dev.kmapstress.lock.LockRegistry} into this package; each extends this class with its
 * strategy's name and inherits these outcomes. Run them all:
 * {@code java -jar jcstress-tests/target/jcstress.jar -t KmapUnderLock}
 */
@Outcome(id = "p0 and p1 in all 8 rounds, p0 and p2 in all 8 rounds, users left: 0", expect = ACCEPTABLE,
        desc = "Every mapping showed its page; every use was dropped.")
@Outcome(id = {"BUG, .*", ".*, BUG, .*"}, expect = FORBIDDEN,
        desc = "kmap_high or kunmap_high found a count that updates outside the lock had broken.")
@Outcome(id = {".*round \\d+ read .*", ".*, users left: [1-9]\\d*"}, expect = FORBIDDEN,
        desc = "A mapping showed another page, or a count kept a user nobody has.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a page fault, a lockup, another oops.")
public abstract class KmapUnderLockRace extends SmallMachine {

    private static final int ROUNDS = 8;

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
