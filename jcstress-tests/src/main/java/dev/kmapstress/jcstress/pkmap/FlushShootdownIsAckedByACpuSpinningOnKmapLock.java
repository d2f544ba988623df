package dev.kmapstress.jcstress.pkmap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.jcstress.support.Controls;
import dev.kmapstress.jcstress.support.SmallMachine;
import dev.kmapstress.machine.Profile;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * On x86 a flush holds kmap_lock while it waits for every CPU to acknowledge the TLB-shootdown
 * IPI. CPU 0 maps and drops p0 and flushes, 16 times (each flush frees p0's slot and sends an
 * IPI), while CPU 1 keeps mapping, reading and dropping p3 until CPU 0 is done, so it often
 * spins on kmap_lock during a flush. kmap_lock is a plain spin_lock there: CPU 1 spins with IRQs on, takes the IPI and
 * lets the flush finish. Both complete every round and nobody is left using a slot.
 *
 * <p>Outcomes and sample counts of the committed full run: {@code results/jcstress/SUMMARY.md};
 * figures live there, not in comments.
 *
 * <p>Run: {@code java -jar jcstress-tests/target/jcstress.jar -t FlushShootdownIsAckedByACpuSpinningOnKmapLock}
 */
@JCStressTest
@Controls({Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH})
@Outcome(id = "16 flushes, p3 mapped until CPU 0 finished, users left: 0", expect = ACCEPTABLE,
        desc = "The spinning CPU acknowledged every shootdown; both went on.")
@Outcome(id = ".*HARD_LOCKUP on IPI acknowledgement from CPU#\\d.*", expect = FORBIDDEN,
        desc = "The flusher waited forever, IRQs off, for an IPI the spinning CPU could not take (IRQs off).")
@Outcome(expect = FORBIDDEN, desc = "Other data, another oops or a user left behind.")
@State
public class FlushShootdownIsAckedByACpuSpinningOnKmapLock extends SmallMachine {

    private static final int ROUNDS = 16;

    public FlushShootdownIsAckedByACpuSpinningOnKmapLock(Fault... faults) {
        super(small(Profile.X86_PAE, 4, 4), faults);
    }

    @Actor
    public void cpu0(LLL_Result r) {
        r.r1 = onCpu0ThenFinish(cpu -> {
            for (int i = 0; i < ROUNDS; i++) {
                kmap(cpu, p(0));
                kunmap(cpu, p(0));
                kmapFlushUnused(cpu);
            }
            return ROUNDS + " flushes";
        });
    }

    @Actor
    public void cpu1(LLL_Result r) {
        r.r2 = untilCpu0Finishes(1, cpu -> mapCheckUnmap(cpu, p(3)), "p3 mapped until CPU 0 finished");
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = usersLeft();
    }
}
