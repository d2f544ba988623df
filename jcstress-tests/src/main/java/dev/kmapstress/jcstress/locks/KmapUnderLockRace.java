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
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
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
