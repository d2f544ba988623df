package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.CpuStopped;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.machine.Tlb;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * Every CPU's TLB holds a PKMAP entry (slot 0) and an entry of its own first kmap_local
     * slot; CPU0 then flushes the whole PKMAP window of {@code m} while CPU1 runs nowhere.
     * Returns, per CPU, whether its kmap_local entry survived the flush (CPU1's once it ran
     * the queued call on entering).
     */
    private static boolean[] fixmapEntriesSurvivingAWindowFlush(Machine m) {
        PageTable pt = m.pageTable();
        int[] fixSlot = new int[2];
        for (int c = 0; c < 2; c++) {
            fixSlot[c] = pt.fixmapSlot(m.layout().fixKmapBegin() + m.layout().kmMaxIdx() * c);
            m.cpu(c).tlb().fill(0, PageTable.mkPte(m.highPage(0)));
            m.cpu(c).tlb().fill(fixSlot[c], PageTable.mkPte(m.highPage(1)));
        }
        as(m, 0, cpu -> m.mmu().flushTlbKernelRange(cpu, m.layout().pkmapAddr(0),
                m.layout().pkmapAddr(m.layout().lastPkmap())));
        as(m, 1, cpu -> { });
        boolean[] survived = new boolean[2];
        for (int c = 0; c < 2; c++) {
            assertThat(m.cpu(c).tlb().lookup(0)).as("CPU%d's PKMAP entry is flushed", c).isZero();
            survived[c] = m.cpu(c).tlb().lookup(fixSlot[c]) != 0;
        }
        return survived;
    }

    @Test
    void aWindowAboveTheCeilingFlushesEveryCpusWholeTlb() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2).lastPkmap(64).build());
        assertThat(64).isGreaterThan(Mmu.TLB_SINGLE_PAGE_FLUSH_CEILING);
        assertThat(fixmapEntriesSurvivingAWindowFlush(m)).as("on_each_cpu(do_flush_tlb_all), the local CPU too")
                .containsExactly(false, false);
        assertThat(m.cpu(1).stats().get(Stat.IPI_ACKED)).as("the idle CPU ran the call on entering").isEqualTo(1);
    }

    @Test
    void aWindowWithinTheCeilingIsFlushedPageByPageOnEveryCpu() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2).lastPkmap(32).build());
        assertThat(fixmapEntriesSurvivingAWindowFlush(m)).as("on_each_cpu(do_kernel_range_flush): other entries stay")
                .containsExactly(true, true);
        assertThat(m.cpu(1).stats().get(Stat.IPI_ACKED)).isEqualTo(1);
    }

    @Test
    void callsQueuedForACpuBeforeItRunsThemAreMergedNeverLost() {
        long a = Tlb.rangeCall(0xff000000L, 0xff004000L);
        long b = Tlb.rangeCall(0xff010000L, 0xff011000L);
        assertThat(Tlb.mergeCalls(Tlb.NO_CALL, a)).isEqualTo(a);
        assertThat(Tlb.mergeCalls(a, Tlb.FLUSH_ALL)).isEqualTo(Tlb.FLUSH_ALL);
        assertThat(Tlb.mergeCalls(b, a)).isEqualTo(Tlb.rangeCall(0xff000000L, 0xff011000L));
    }

    @Test
    void withLockdepAFlushWithIrqsOffWarnsAsSmpCallFunctionManyCondDoesBeforeTheLockup() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2, Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH)
                .lockdep(true).lockupTimeout(Duration.ofMillis(400)).build());
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
            }
        });
        holdLockFlushWhileOtherSpins(m);
        assertThat(m.log().reports()).as(m.log().dmesg()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(m.log().reports().get(0).lines()).contains(
                "WARNING: CPU: 0 PID: 100 at kernel/smp.c:915 smp_call_function_many_cond");
        assertThat(m.log().reports().get(1).kind()).isEqualTo(ReportKind.HARD_LOCKUP);
    }

    @Test
    void withoutLockdepTheIrqsOffCheckIsCompiledOutAsInDebiansKernel() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2, Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH).build());
        as(m, 0, cpu -> {
            m.highmem().kmap(cpu, m.highPage(0));
            m.highmem().kunmap(cpu, m.highPage(0));
            m.pkmap().kmapFlushUnused(cpu);
        });
        assertThat(m.statTotal(Stat.TLB_FLUSH)).isEqualTo(1);
        assertThat(m.log().total()).as(m.log().dmesg()).isZero();
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
     * With the lockup proof the same deadlock is reported as soon as both CPUs have spun a while,
     * long before a threshold that lies beyond the test's deadline: past that deadline the test
     * stops the machine for no report, which fails it.
     */
    @Test
    void withTheLockupProofTheDeadlockIsReportedWithoutWaitingForTheThreshold() throws Exception {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 2, Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH)
                .lockupProof(true).lockupTimeout(Duration.ofMinutes(30)).build());
        CountDownLatch reported = new CountDownLatch(1);
        m.log().addListener(r -> {
            if (r.kind().hang()) {
                m.smpSendStop(r);
                reported.countDown();
            }
        });
        Thread deadline = new Thread(() -> {
            try {
                if (!reported.await(Cpus.DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    m.smpSendStop(null);
                }
            } catch (InterruptedException e) {
                // The test is over.
            }
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();
        Throwable thrown = holdLockFlushWhileOtherSpins(m);
        deadline.interrupt();
        assertThat(thrown).isInstanceOf(CpuStopped.class);
        assertThat(((CpuStopped) thrown).reason()).as("stopped by a report, not by the test's deadline").isNotNull();
        assertThat(((CpuStopped) thrown).reason().kind()).isEqualTo(ReportKind.HARD_LOCKUP);
        assertThat(((CpuStopped) thrown).reason().text())
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
            Cpus.await(() -> m.cpu(1).spinningSince() != 0);
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
