package dev.kmapstress.jcstress.local;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.mm.KmapLocal;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * An interrupt nested inside a task's kmap_local restores the stack: on each CPU the task maps
 * a page with kmap_local_page, an interrupt arrives and its handler maps another page (one
 * level deeper on the interrupted task's stack), reads it and unmaps it; back in the task the
 * stack is one deep again and the task's address still shows its page. Both CPUs do this at
 * once, each on its own stack and slots.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t InterruptNestedInKmapLocalRestoresTheStack}
 */
@JCStressTest
@Outcome(id = "irq p1 at depth 2, task p0 at depth 1, irq p3 at depth 2, task p2 at depth 1, fixmap empty",
        expect = ACCEPTABLE, desc = "Each handler nested one level deeper and left the task's stack as it was.")
@Outcome(expect = FORBIDDEN, desc = "A wrong depth, another page's data, an oops or a slot left mapped.")
@State
public class InterruptNestedInKmapLocalRestoresTheStack extends SmallMachine {

    public InterruptNestedInKmapLocalRestoresTheStack(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> taskWithInterrupt(cpu, p(0), p(1)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> taskWithInterrupt(cpu, p(2), p(3)));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = fixmapLeft();
    }

    /** The task maps {@code mine}; an interrupt maps, reads and unmaps {@code irqs}; the task reads. */
    private String taskWithInterrupt(Cpu cpu, Page mine, Page irqs) {
        KmapLocal local = m.kmapLocal();
        long va = local.kmapLocalPage(cpu, mine);
        String[] inIrq = new String[1];
        cpu.runInterrupt(() -> {
            long irqVa = local.kmapLocalPage(cpu, irqs);
            inIrq[0] = "irq " + read(cpu, irqVa) + " at depth " + local.depth(cpu);
            local.kunmapLocal(cpu, irqVa);
        });
        String task = "task " + read(cpu, va) + " at depth " + local.depth(cpu);
        local.kunmapLocal(cpu, va);
        return inIrq[0] + ", " + task;
    }
}
