package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap_to_page vs unmap: CPU 1 holds p0 and drops it, then flushes every unused slot, while
 * CPU 0 maps p0, asks kmap_to_page which page its address maps, and drops it. As long as CPU 0
 * holds the mapping its PTE cannot be cleared, so the answer is always p0.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapToPageOfAHeldMappingNamesItsPage}
 */
@JCStressTest
@Outcome(id = {"p0, unmapped and flushed, p0 unmapped", "p0, unmapped and flushed, p0 in slot \\d count 1"},
        expect = ACCEPTABLE, desc = "kmap_to_page named the page CPU 0 held; no user left.")
@Outcome(id = "BUG, .*", expect = FORBIDDEN,
        desc = "kmap_high pinned a slot that had been freed after it looked the address up.")
@Outcome(expect = FORBIDDEN, desc = "Another page, no page, another oops or a user left.")
@State
public class KmapToPageOfAHeldMappingNamesItsPage extends SmallMachine {

    public KmapToPageOfAHeldMappingNamesItsPage(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
        pin(1, p(0));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> {
            Page named = m.highmem().kmapToPage(cpu, kmap(cpu, p(0)));
            kunmap(cpu, p(0));
            return named == null ? "no page" : named.name();
        });
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = unmapAndFlush(1, p(0));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = where(p(0));
    }
}
