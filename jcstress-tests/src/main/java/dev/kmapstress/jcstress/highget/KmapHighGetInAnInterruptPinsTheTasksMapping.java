package dev.kmapstress.jcstress.highget;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.Smoke;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap_high_get from an interrupt on the same CPU, on the arm-like profile: CPU 0's task maps
 * p0; an interrupt arrives on CPU 0 and its handler pins the same mapping with kmap_high_get,
 * reads it and releases it with kunmap_high; then the task reads p0 and drops it. Meanwhile
 * CPU 1 flushes every unused slot. Because kmap_lock is always taken with IRQs off there (the
 * irqsave variants in the handler), the handler never spins on a lock its own CPU holds, the
 * flush never frees a pinned slot, and the handler returns with IRQs still off.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapHighGetInAnInterruptPinsTheTasksMapping}
 */
@JCStressTest
@Smoke
@Outcome(id = "irq slot 2: p0 with IRQs off, task p0, flushed, users left: 0", expect = ACCEPTABLE,
        desc = "The handler pinned the task's mapping and kept IRQs off; the task still read p0.")
@Outcome(expect = FORBIDDEN,
        desc = "The handler missed the mapping or ran with IRQs on, other data, an oops or a user left.")
@State
public class KmapHighGetInAnInterruptPinsTheTasksMapping extends ArmLikeMachine {

    private String inIrq;

    public KmapHighGetInAnInterruptPinsTheTasksMapping(Fault... faults) {
        super(faults);
        mapUnused(1, p(1));
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> {
            long va = kmap(cpu, p(0));
            cpu.runInterrupt(() -> inIrq = getReadPut(cpu, p(0))
                    + (cpu.irqsDisabled() ? " with IRQs off" : " with IRQs on"));
            String seen = read(cpu, va);
            kunmap(cpu, p(0));
            return "irq " + inIrq + ", task " + seen;
        });
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = unmapAndFlush(1);
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = usersLeft();
    }
}
