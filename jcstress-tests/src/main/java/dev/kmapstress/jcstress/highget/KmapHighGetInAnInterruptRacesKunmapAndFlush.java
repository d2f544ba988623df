package dev.kmapstress.jcstress.highget;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap_high_get in an interrupt vs another CPU's kunmap_high and flush, on the arm-like
 * profile: CPU 1 holds p0, drops it and flushes every unused slot; meanwhile an interrupt on
 * CPU 0 (whose task is busy with p1) tries to pin p0. The handler either pins p0 before the
 * flush (and the flush cannot free it) or finds no mapping; it never reads another page.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapHighGetInAnInterruptRacesKunmapAndFlush}
 */
@JCStressTest
@Outcome(id = "irq slot 1: p0, task p1, unmapped and flushed, p0 unmapped", expect = ACCEPTABLE,
        desc = "The handler pinned and released p0 before the flush, which then freed it.")
@Outcome(id = "irq slot 1: p0, task p1, unmapped and flushed, p0 in slot 1 count 1", expect = ACCEPTABLE,
        desc = "The flush came while the handler held its pin and left p0's slot alone.")
@Outcome(id = "irq not mapped, task p1, unmapped and flushed, p0 unmapped", expect = ACCEPTABLE,
        desc = "The flush freed p0 first; the handler found no mapping.")
@Outcome(expect = FORBIDDEN, desc = "Other data, an oops or a wrong count.")
@State
public class KmapHighGetInAnInterruptRacesKunmapAndFlush extends ArmLikeMachine {

    private String inIrq;

    public KmapHighGetInAnInterruptRacesKunmapAndFlush(Fault... faults) {
        super(faults);
        pin(1, p(0));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> {
            long va = kmap(cpu, p(1));
            cpu.runInterrupt(() -> inIrq = getReadPut(cpu, p(0)));
            String seen = read(cpu, va);
            kunmap(cpu, p(1));
            return "irq " + inIrq + ", task " + seen;
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
