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
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * kmap_local on two CPUs never shares a slot: both CPUs map a page with kmap_local_page at
 * once, read it and unmap it. Each CPU's stack indexes its own KM_MAX_IDX fixmap entries, so on
 * x86-pae CPU 0 maps at 0xfffbb000 and CPU 1 at 0xfffab000 (the addresses measured in Debian's
 * 6.1 kernel), each reads its own page, and no slot is left mapped.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t KmapLocalOnTwoCpusNeverSharesASlot}
 */
@JCStressTest
@Smoke
@Controls({Fault.SHARED_LOCAL_INDEX})
@Outcome(id = "p0 at fffbb000, p1 at fffab000, fixmap empty", expect = ACCEPTABLE,
        desc = "Each CPU mapped in its own fixmap slot and read its own page.")
@Outcome(id = {"BUG, .*", ".*, BUG, .*"}, expect = FORBIDDEN,
        desc = "A CPU found the slot it computed already mapped (BUG_ON(!pte_none)): the CPUs share slots.")
@Outcome(id = {"PAGE_FAULT, .*", ".*, PAGE_FAULT, .*"}, expect = FORBIDDEN,
        desc = "One CPU's unmap cleared the other's live mapping under it.")
@Outcome(id = {"p\\d at (\\w+), p\\d at \\1, .*", "p1 at .*", ".*, p0 at .*"}, expect = FORBIDDEN,
        desc = "Both CPUs used one slot, or a CPU read the other's page.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a slot left mapped, another oops.")
@State
public class KmapLocalOnTwoCpusNeverSharesASlot extends SmallMachine {

    public KmapLocalOnTwoCpusNeverSharesASlot(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = on(0, cpu -> mapLocalAndRead(cpu, p(0)));
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = on(1, cpu -> mapLocalAndRead(cpu, p(1)));
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = fixmapLeft();
    }

    private String mapLocalAndRead(Cpu cpu, Page p) {
        long va = m.kmapLocal().kmapLocalPage(cpu, p);
        String seen = read(cpu, va);
        m.kmapLocal().kunmapLocal(cpu, va);
        return seen + " at " + Long.toHexString(va);
    }
}
