package dev.kmapstress.jcstress.local;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.Controls;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.jcstress.support.Smoke;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Task;
import dev.kmapstress.mm.KmapLocal;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * sched_out/sched_in around a preemption keeps the task's data: on each CPU a task maps a page
 * with kmap_local_page and is preempted by a second task, which maps its own page into the same
 * fixmap slot (its stack is empty), reads it and unmaps it; then the first task runs again.
 * __kmap_local_sched_out cleared the first task's PTE at the switch and __kmap_local_sched_in
 * restored it from the value saved in the task, so its address shows its page again. Both
 * CPUs do this at once, each with its own two tasks.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t PreemptedTaskGetsItsKmapLocalBack}
 */
@JCStressTest
@Smoke
@Controls({Fault.NO_SCHED_IN_RESTORE})
@Outcome(id = "p0, then p1 in between, then p0, p2, then p3 in between, then p2, fixmap empty", expect = ACCEPTABLE,
        desc = "Each preempted task found its mapping restored; the tasks that ran in between saw their own pages.")
@Outcome(id = {"PAGE_FAULT, .*", ".*, PAGE_FAULT, .*"}, expect = FORBIDDEN,
        desc = "A task came back to a cleared slot: its mapping was not restored at sched_in.")
@Outcome(expect = FORBIDDEN, desc = "Another page's data, another oops or a slot left mapped.")
@State
public class PreemptedTaskGetsItsKmapLocalBack extends SmallMachine {

    public PreemptedTaskGetsItsKmapLocalBack(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> preemptedWhileMapped(cpu, p(0), p(1)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> preemptedWhileMapped(cpu, p(2), p(3)));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = fixmapLeft();
    }

    /**
     * The CPU's task maps {@code mine}, is switched out for a new task that maps, reads and
     * unmaps {@code theirs}, and is switched back in to read {@code mine} and unmap it.
     */
    private String preemptedWhileMapped(Cpu cpu, Page mine, Page theirs) {
        KmapLocal local = m.kmapLocal();
        Task first = cpu.current();
        long va = local.kmapLocalPage(cpu, mine);
        String before = read(cpu, va);
        m.scheduler().contextSwitch(cpu, m.scheduler().fork(cpu, "preempter/" + cpu.id()));
        long other = local.kmapLocalPage(cpu, theirs);
        String between = read(cpu, other);
        local.kunmapLocal(cpu, other);
        m.scheduler().contextSwitch(cpu, first);
        String after = read(cpu, va);
        local.kunmapLocal(cpu, va);
        return before + ", then " + between + " in between, then " + after;
    }
}
