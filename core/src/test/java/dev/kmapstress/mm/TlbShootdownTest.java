package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.Machine;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** TLBs cache translations until a flush; shootdowns reach running, idle and sleeping CPUs. */
class TlbShootdownTest {

    /** Runs {@code body} as CPU n on the calling thread. */
    private static void as(Machine m, int n, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            body.accept(s.cpu());
        }
    }

    /**
     * CPU1 caches p0's translation at slot 1; CPU0 unmaps p0 and wraps the window so slot 1 is
     * freed and p4 takes it. Returns what CPU1 then reads through the same address.
     */
    private static int staleReadAfterReuse(Machine m) {
        long[] va = new long[1];
        as(m, 0, cpu -> {
            va[0] = m.highmem().kmap(cpu, m.highPage(0));
            m.mmu().write(cpu, va[0], 0, 0xa0);
        });
        as(m, 1, cpu -> {
            assertThat(m.highmem().kmap(cpu, m.highPage(0))).isEqualTo(va[0]);
            assertThat(m.mmu().read(cpu, va[0], 0)).isEqualTo(0xa0);
            m.highmem().kunmap(cpu, m.highPage(0));
        });
        as(m, 0, cpu -> {
            m.highmem().kunmap(cpu, m.highPage(0));
            for (int k = 1; k <= 4; k++) {
                long v = m.highmem().kmap(cpu, m.highPage(k));
                m.mmu().write(cpu, v, 0, 0xa0 + k);
            }
            assertThat(m.highmem().pageAddress(cpu, m.highPage(4))).as("p4 reuses slot 1").isEqualTo(va[0]);
        });
        int[] seen = new int[1];
        as(m, 1, cpu -> seen[0] = m.mmu().read(cpu, va[0], 0));
        return seen[0];
    }

    @Test
    void aFlushedSlotIsNeverReadThroughAStaleEntry() {
        Machine m = Tiny.x86(2);
        assertThat(staleReadAfterReuse(m)).as("CPU1 reads p4, the page now mapped").isEqualTo(0xa4);
        assertThat(m.highPage(4).peek(0)).isEqualTo(0xa4);
        assertThat(m.highPage(0).peek(0)).isEqualTo(0xa0);
        assertThat(m.cpu(1).stats().get(Stat.IPI_ACKED)).as("idle CPU1 took the IPI on entry").isEqualTo(1);
        assertThat(m.statTotal(Stat.IPI_SENT)).isEqualTo(1);
    }

    @Test
    void withoutTheShootdownAStaleEntryReadsTheOldPage() {
        Machine m = Tiny.x86(2, Fault.NO_TLB_FLUSH);
        int seen = staleReadAfterReuse(m);
        // CPU0's own stale entry sent its write for p4 into p0, and CPU1 reads p0 too.
        assertThat(m.highPage(4).peek(0)).as("p4 never received the write").isZero();
        assertThat(m.highPage(0).peek(0)).isEqualTo(0xa4);
        assertThat(seen).as("CPU1 reads p0 through its stale entry").isEqualTo(m.highPage(0).peek(0))
                .isNotEqualTo(m.highPage(4).peek(0));
        assertThat(m.statTotal(Stat.IPI_SENT)).isZero();
    }

    @Test
    void unmapToZeroReusesASlotOtherTlbsStillHold() {
        Machine m = Tiny.x86(2, Fault.UNMAP_TO_ZERO);
        long[] va = new long[2];
        as(m, 1, cpu -> {
            va[0] = m.highmem().kmap(cpu, m.highPage(0));
            m.mmu().write(cpu, va[0], 0, 0xb0);
            m.highmem().kunmap(cpu, m.highPage(0));
        });
        as(m, 0, cpu -> {
            for (int k = 1; k <= 4; k++) {
                va[1] = m.highmem().kmap(cpu, m.highPage(k));
                m.mmu().write(cpu, va[1], 0, 0xb0 + k);
            }
        });
        assertThat(va[1]).as("p4 took p0's slot without any flush").isEqualTo(va[0]);
        as(m, 1, cpu -> {
            long again = m.highmem().kmap(cpu, m.highPage(4));
            assertThat(again).isEqualTo(va[0]);
            assertThat(m.mmu().read(cpu, again, 0)).as("wrong data: p0's, not p4's").isEqualTo(0xb0);
        });
    }

    @Test
    void faithfulUnmapKeepsTheSameSequenceCorrect() {
        Machine m = Tiny.x86(2);
        as(m, 1, cpu -> {
            long v = m.highmem().kmap(cpu, m.highPage(0));
            m.mmu().write(cpu, v, 0, 0xb0);
            m.highmem().kunmap(cpu, m.highPage(0));
        });
        as(m, 0, cpu -> {
            for (int k = 1; k <= 4; k++) {
                long v = m.highmem().kmap(cpu, m.highPage(k));
                m.mmu().write(cpu, v, 0, 0xb0 + k);
            }
        });
        as(m, 1, cpu -> {
            long again = m.highmem().kmap(cpu, m.highPage(4));
            assertThat(m.mmu().read(cpu, again, 0)).isEqualTo(0xb4);
        });
    }

    @Test
    void armLikeBroadcastNeedsNoIpi() {
        Machine m = Machine.build(Tiny.config(Profile.ARM_LIKE, 2).build());
        assertThat(staleReadAfterReuse(m)).isEqualTo(0xa4);
        assertThat(m.statTotal(Stat.IPI_SENT)).isZero();
        assertThat(m.statTotal(Stat.TLB_FLUSH)).isEqualTo(1);
    }

    @Test
    void aCpuSpinningWithIrqsOnAcknowledgesTheIpi() throws Exception {
        Machine m = Tiny.x86(2);
        assertThat(holdLockFlushWhileOtherSpins(m)).isNull();
        assertThat(m.cpu(1).stats().get(Stat.IPI_ACKED)).isEqualTo(1);
        assertThat(m.log().total()).isZero();
    }

    @Test
    void aCpuSpinningWithIrqsOffDeadlocksIntoAHardLockupReport() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2, Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH)
                .lockupTimeout(Duration.ofMillis(400)).build());
        // Lockups are reports and the CPUs spin on: the test, as a harness, stops the machine.
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
            }
        });
        Throwable thrown = holdLockFlushWhileOtherSpins(m);
        assertThat(thrown).isInstanceOf(CpuStopped.class);
        assertThat(((CpuStopped) thrown).reason().kind()).isEqualTo(ReportKind.HARD_LOCKUP);
        assertThat(m.log().count(ReportKind.HARD_LOCKUP)).isGreaterThanOrEqualTo(1);
        assertThat(m.log().reports().stream().filter(r -> r.kind() == ReportKind.HARD_LOCKUP).findFirst()
                .orElseThrow().text())
                .contains("Watchdog detected hard LOCKUP on cpu")
                .contains("CPU#0 spinning on IPI acknowledgement from CPU#1")
                .contains("CPU#1 spinning on kmap_lock")
                .contains("IRQs disabled");
    }

    /**
     * CPU0 makes a count-1 slot, takes kmap_lock, waits until CPU1 spins on it, then flushes
     * (IPI to CPU1). Returns what either CPU ended with (an oops, a stop), or null if both finished.
     */
    private static Throwable holdLockFlushWhileOtherSpins(Machine m) throws InterruptedException {
        AtomicReference<Throwable> other = new AtomicReference<>();
        Pkmap pk = m.pkmap();
        try (Cpu.Scope s = m.cpu(0).enter()) {
            Cpu cpu = s.cpu();
            m.highmem().kmap(cpu, m.highPage(0));
            m.highmem().kunmap(cpu, m.highPage(0));
            pk.lockKmap(cpu);
            Thread spinner = new Thread(() -> {
                try (Cpu.Scope s1 = m.cpu(1).enter()) {
                    pk.lockKmap(s1.cpu());
                    pk.unlockKmap(s1.cpu());
                } catch (Throwable t) {
                    other.set(t);
                }
            }, "cpu1");
            spinner.start();
            while (m.cpu(1).spinningSince() == 0) {
                Thread.onSpinWait();
            }
            Throwable mine = null;
            try {
                pk.flushAllZeroPkmaps(cpu);
                pk.unlockKmap(cpu);
            } catch (Oops | CpuStopped o) {
                mine = o;
            }
            spinner.join(10_000);
            assertThat(spinner.isAlive()).isFalse();
            return mine != null ? mine : other.get();
        }
    }

    @Test
    void pageFaultAfterTheFlushForACpuThatOnlyHadTheOldEntry() {
        Machine m = Tiny.x86(2);
        long[] va = new long[1];
        as(m, 1, cpu -> {
            va[0] = m.highmem().kmap(cpu, m.highPage(0));
            m.mmu().read(cpu, va[0], 0);
            m.highmem().kunmap(cpu, m.highPage(0));
        });
        as(m, 0, cpu -> m.pkmap().kmapFlushUnused(cpu));
        Oops oops = assertThrows(Oops.class, () -> as(m, 1, cpu -> m.mmu().read(cpu, va[0], 0)));
        assertThat(oops.kind()).isEqualTo(ReportKind.PAGE_FAULT);
    }
}
