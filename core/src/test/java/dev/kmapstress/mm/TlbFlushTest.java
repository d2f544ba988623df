package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.lock.Cpus;
import dev.kmapstress.log.Oops;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Stat;
import dev.kmapstress.machine.Tiny;
import dev.kmapstress.machine.Tlb;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What each TLB flush drops, and where a CPU takes the flush IPIs sent to it: every kernel
 * access (a read or write through a mapping, kmap, kunmap) is an IRQ-enabled point.
 */
class TlbFlushTest {

    private static final long PAGE = 0x1000;

    private static void as(Machine m, int n, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            body.accept(s.cpu());
        }
    }

    /** A TLB of {@code m}'s slots with every slot cached. */
    private static Tlb fullTlb(Machine m) {
        Tlb tlb = new Tlb(m.pageTable());
        for (int i = 0; i < m.pageTable().slots(); i++) {
            tlb.fill(i, PageTable.mkPte(m.highPage(0)));
        }
        return tlb;
    }

    private static boolean[] cached(Tlb tlb, int slots) {
        boolean[] c = new boolean[slots];
        for (int i = 0; i < slots; i++) {
            c[i] = tlb.lookup(i) != 0;
        }
        return c;
    }

    @Test
    void aRangeCallDropsExactlyThePagesOfItsRange() {
        Machine m = Tiny.x86(1);
        long base = m.layout().pkmapAddr(0);
        Tlb tlb = fullTlb(m);
        tlb.runCall(Tlb.rangeCall(base + PAGE, base + 3 * PAGE));
        assertThat(cached(tlb, 4)).containsExactly(true, false, false, true);
        tlb.flushRange(0, 1);
        assertThat(cached(tlb, 4)).containsExactly(false, false, false, true);
        tlb.runCall(Tlb.NO_CALL);
        assertThat(tlb.lookup(3)).isNotZero();
        tlb.runCall(Tlb.FLUSH_ALL);
        assertThat(tlb.lookup(3)).isZero();
    }

    @Test
    void mergedCallsCoverBothRangesInEitherOrder() {
        long low = Tlb.rangeCall(0xff000000L, 0xff002000L);
        long high = Tlb.rangeCall(0xff001000L, 0xff004000L);
        long both = Tlb.rangeCall(0xff000000L, 0xff004000L);
        assertThat(Tlb.mergeCalls(low, high)).isEqualTo(both);
        assertThat(Tlb.mergeCalls(high, low)).isEqualTo(both);
        assertThat(Tlb.mergeCalls(low, Tlb.NO_CALL)).isEqualTo(low);
        assertThat(Tlb.mergeCalls(Tlb.FLUSH_ALL, low)).isEqualTo(Tlb.FLUSH_ALL);
    }

    @Test
    void aRangeOfExactlyTheCeilingIsStillFlushedPageByPage() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).build());
        long fix = m.layout().fixToVirt(m.layout().fixKmapBegin());
        as(m, 0, cpu -> {
            long a = m.kmapLocal().kmapLocalPage(cpu, m.highPage(0));
            m.mmu().read(cpu, a, 0);
            long start = m.layout().pkmapAddr(0);
            m.mmu().flushTlbKernelRange(cpu, start, start + Mmu.TLB_SINGLE_PAGE_FLUSH_CEILING * PAGE);
            assertThat(cpu.tlb().lookup(m.pageTable().index(fix))).as("outside the range: kept").isNotZero();
            assertThat(cpu.preemptCount()).as("preemption given back").isZero();
            m.mmu().flushTlbKernelRange(cpu, start, start + (Mmu.TLB_SINGLE_PAGE_FLUSH_CEILING + 1) * PAGE);
            assertThat(cpu.tlb().lookup(m.pageTable().index(fix))).as("one page more: the whole TLB").isZero();
            assertThat(cpu.preemptCount()).as("on_each_cpu gave preemption back").isZero();
        });
    }

    @Test
    void flushTlbOneKernelDropsAPkmapEntryToo() {
        Machine m = Tiny.x86(1);
        as(m, 0, cpu -> {
            cpu.tlb().fill(0, PageTable.mkPte(m.highPage(0)));
            m.mmu().flushTlbOneKernel(cpu, m.layout().pkmapAddr(0));
            assertThat(cpu.tlb().lookup(0)).isZero();
        });
    }

    @Test
    void flushTlbAllReachesEveryCpu() {
        for (Profile p : List.of(Profile.X86_PAE, Profile.ARM_LIKE)) {
            Machine m = Machine.build(Tiny.config(p, 2).build());
            long va = m.layout().pkmapAddr(1);
            as(m, 0, cpu -> m.highmem().kmap(cpu, m.highPage(0)));
            for (int c = 0; c < 2; c++) {
                as(m, c, cpu -> m.mmu().read(cpu, va, 0));
            }
            as(m, 0, cpu -> {
                m.mmu().flushTlbAll(cpu);
                assertThat(cpu.tlb().lookup(1)).as("%s: this CPU's entry", p).isZero();
            });
            // Drop the mapping behind CPU1's back: only a flushed TLB now faults.
            m.pageTable().clear(1);
            as(m, 1, cpu -> assertThatThrownBy(() -> m.mmu().read(cpu, va, 0)).as("%s: CPU1's entry", p)
                    .isInstanceOf(Oops.class));
            assertThat(m.statTotal(Stat.TLB_FLUSH)).isEqualTo(1);
        }
    }

    @Test
    void aFaultReportSaysWhetherTheAccessWasAReadOrAWrite() {
        Machine m = Tiny.x86(1);
        as(m, 0, cpu -> {
            Oops read = org.junit.jupiter.api.Assertions.assertThrows(Oops.class, () -> m.mmu().read(cpu, 0xff00_2000L, 0));
            assertThat(read.report().lines()).contains("#PF: supervisor read access in kernel mode",
                    "#PF: error_code(0x0000) - not-present page", "Oops: 0000 [#1] PREEMPT SMP");
            Oops write = org.junit.jupiter.api.Assertions.assertThrows(Oops.class, () -> m.mmu().write(cpu, 0xff00_2000L, 0, 1));
            assertThat(write.report().lines()).contains("#PF: supervisor write access in kernel mode",
                    "#PF: error_code(0x0002) - not-present page", "Oops: 0002 [#1] PREEMPT SMP");
            long low = m.layout().lowmemPageAddress(0);
            assertThatThrownBy(() -> m.mmu().read(cpu, low, 8))
                    .hasMessage("word 8 is outside the modelled payload of 8 words (0..7)");
        });
    }

    /**
     * CPU 1 runs (IRQs on) while CPU 0 flushes the whole PKMAP window and waits for CPU 1's
     * acknowledgement; once CPU 0 is seen waiting, CPU 1 makes {@code access}, which must take
     * the IPI. Returns CPU 1's count of IPIs taken right after the access.
     */
    private static long ipisTakenBy(Machine m, Consumer<Cpu> access) throws InterruptedException {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        long[] acked = new long[1];
        Cpu cpu1 = m.cpu(1);
        Thread t1 = Cpus.start(m, 1, errors, cpu -> {
            Cpus.await(() -> m.cpu(0).spinningOn() != null);
            access.accept(cpu);
            acked[0] = cpu.stats().get(Stat.IPI_ACKED);
        });
        Cpus.await(cpu1::running);
        Thread t0 = Cpus.start(m, 0, errors, cpu -> {
            m.mmu().flushTlbKernelRange(cpu, m.layout().pkmapAddr(0), m.layout().pkmapAddr(m.layout().lastPkmap()));
            assertThat(cpu.spinningOn()).as("the wait for the acknowledgement ended").isNull();
        });
        Cpus.join(t0, t1);
        assertThat(errors).isEmpty();
        return acked[0];
    }

    @Test
    void everyKernelAccessTakesTheFlushIpisSentToItsCpu() throws Exception {
        Machine m = Tiny.x86(2);
        long low = m.layout().lowmemPageAddress(0);
        assertThat(ipisTakenBy(m, cpu -> m.mmu().read(cpu, low, 0))).as("read").isEqualTo(1);
        assertThat(ipisTakenBy(m, cpu -> m.mmu().write(cpu, low, 0, 1))).as("write").isEqualTo(2);
        assertThat(ipisTakenBy(m, cpu -> m.highmem().kmap(cpu, m.lowPage(0)))).as("kmap").isEqualTo(3);
        assertThat(ipisTakenBy(m, cpu -> m.highmem().kunmap(cpu, m.lowPage(0)))).as("kunmap").isEqualTo(4);
    }
}
