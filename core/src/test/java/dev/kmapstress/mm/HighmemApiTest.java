package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.log.Oops;
import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.PageTable;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The highmem functions added in the second fidelity pass: kmap_local_pfn, kmap_atomic_pfn,
 * kmap_atomic_prot, kmap_local_folio, zero_user_segments, kmap_assert_nomap, flush_cache_kmaps
 * and nr_free_highpages over the zones.
 */
class HighmemApiTest {

    /** CPU 0's first kmap_local address on the x86 profiles (kmap-layout's measurement). */
    private static final long CPU0_FIRST_LOCAL = 0xfffbb000L;

    private static void as(Machine m, int n, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(n).enter()) {
            body.accept(s.cpu());
        }
    }

    private static int slotOf(Machine m, long vaddr) {
        return m.pageTable().index(vaddr);
    }

    @Test
    void kmapLocalPfnMapsTheFrameInTheNextSlotUntilKunmapLocal() {
        Machine m = Tiny.x86(1);
        Page p = m.highPage(3);
        p.payload()[0] = 0x33;
        as(m, 0, cpu -> {
            long va = m.kmapLocal().kmapLocalPfn(cpu, p.pfn());
            assertThat(va).isEqualTo(CPU0_FIRST_LOCAL);
            assertThat(m.mmu().read(cpu, va, 0)).isEqualTo(0x33);
            assertThat(cpu.preemptCount()).as("preemptible between map and unmap").isZero();
            assertThat(cpu.migrateDisableCount()).isEqualTo(1);
            m.kmapLocal().kunmapLocal(cpu, va);
            assertThat(cpu.migrateDisableCount()).isZero();
            assertThat(m.pageTable().get(slotOf(m, va))).isZero();
        });
    }

    @Test
    void kmapAtomicPfnIsAtomicUntilKunmapAtomic() {
        Machine m = Tiny.x86(1);
        as(m, 0, cpu -> {
            long va = m.kmapLocal().kmapAtomicPfn(cpu, m.highPage(1).pfn());
            assertThat(cpu.preemptCount()).isEqualTo(1);
            assertThat(cpu.pagefaultDisableCount()).isEqualTo(1);
            assertThat(PageTable.ptePfn(m.pageTable().get(slotOf(m, va)))).isEqualTo(m.highPage(1).pfn());
            m.kmapLocal().kunmapAtomic(cpu, va);
            assertThat(cpu.preemptCount()).isZero();
            assertThat(cpu.pagefaultDisableCount()).isZero();
        });
    }

    @Test
    void kmapAtomicProtMapsWithTheGivenProtection() {
        Machine m = Tiny.x86(1);
        long readOnly = PageTable.PAGE_KERNEL & ~0x2L;
        as(m, 0, cpu -> {
            long va = m.kmapLocal().kmapAtomicProt(cpu, m.highPage(2), readOnly);
            assertThat(cpu.preemptCount()).isEqualTo(1);
            assertThat(m.pageTable().get(slotOf(m, va)))
                    .isEqualTo((m.highPage(2).pfn() << Profile.PAGE_SHIFT) | readOnly);
            m.kmapLocal().kunmapAtomic(cpu, va);
        });
    }

    @Test
    void kmapLocalFolioMapsThePageHoldingTheOffsetAndPointsAtTheByte() {
        Machine m = Tiny.x86(1);
        Page folio = m.highPage(4);
        m.highPage(5).payload()[0] = 0x55;
        as(m, 0, cpu -> {
            long va = m.kmapLocal().kmapLocalFolio(cpu, folio, Profile.PAGE_SIZE + 8);
            assertThat(va).isEqualTo(CPU0_FIRST_LOCAL + 8);
            assertThat(m.mmu().read(cpu, va & Profile.PAGE_MASK, 0)).as("the folio's second page").isEqualTo(0x55);
            m.kmapLocal().kunmapLocal(cpu, va);
            assertThat(m.kmapLocal().depth(cpu)).isZero();
        });
    }

    @Test
    void zeroUserSegmentsZeroesBothSegmentsThroughOneMapping() {
        Machine m = Tiny.x86(1);
        Page p = m.highPage(0);
        java.util.Arrays.fill(p.payload(), 7);
        as(m, 0, cpu -> m.highmemCopy().zeroUserSegments(cpu, p, 1, 3, 5, 6));
        assertThat(p.payload()).containsExactly(7, 0, 0, 7, 7, 0, 7, 7);
        assertThat(m.cpu(0).stats().get(dev.kmapstress.machine.Stat.KMAP_LOCAL)).isEqualTo(1);
    }

    @Test
    void zeroUserSegmentsMapsNothingForEmptySegmentsAndBugsBeyondThePage() {
        Machine m = Tiny.x86(1);
        Page p = m.highPage(0);
        as(m, 0, cpu -> m.highmemCopy().zeroUserSegments(cpu, p, 3, 3, 6, 2));
        assertThat(m.cpu(0).stats().get(dev.kmapstress.machine.Stat.KMAP_LOCAL)).isZero();
        assertThatThrownBy(() -> as(m, 0, cpu -> m.highmemCopy().zeroUserSegment(cpu, p, 0, 9)))
                .isInstanceOf(Oops.class).hasMessageContaining("kernel BUG at mm/highmem.c:396!");
    }

    @Test
    void kmapAssertNomapWarnsOnlyWithDebugKmapLocalAndALiveMapping() {
        Machine plain = Tiny.x86(1);
        as(plain, 0, cpu -> {
            m(plain).kmapLocalPage(cpu, plain.highPage(0));
            m(plain).kmapAssertNomap(cpu);
        });
        assertThat(plain.log().total()).isZero();

        Machine debug = Machine.build(Tiny.config(Profile.X86_PAE, 1).debugKmapLocal(true).build());
        as(debug, 0, cpu -> {
            m(debug).kmapAssertNomap(cpu);
            assertThat(debug.log().total()).as("empty stack").isZero();
            m(debug).kmapLocalPage(cpu, debug.highPage(0));
            m(debug).kmapAssertNomap(cpu);
        });
        assertThat(debug.log().count(ReportKind.WARNING)).isEqualTo(1);
        assertThat(debug.log().reports().get(0).lines()).contains("DEBUG_LOCKS_WARN_ON(current->kmap_ctrl.idx)",
                "WARNING: CPU: 0 PID: 100 at include/linux/highmem-internal.h:17 kmap_assert_nomap");
    }

    private static KmapLocal m(Machine machine) {
        return machine.kmapLocal();
    }

    @Test
    void flushCacheKmapsFlushesTheCacheOnlyWhereItAliases() {
        for (Profile profile : List.of(Profile.X86_PAE, Profile.ALIASING_CACHE)) {
            List<String> events = new CopyOnWriteArrayList<>();
            Machine m = Machine.build(Tiny.config(profile, 1).lastPkmap(8).build(), (cpu, point, subject, text) -> events.add(text));
            as(m, 0, cpu -> m.pkmap().kmapFlushUnused(cpu));
            int at = events.indexOf("flush_all_zero_pkmaps");
            assertThat(at).isNotNegative();
            if (profile == Profile.ALIASING_CACHE) {
                assertThat(events.get(at + 1)).isEqualTo("flush_cache_kmaps: flush_cache_all");
            } else {
                assertThat(events).doesNotContain("flush_cache_kmaps: flush_cache_all");
            }
        }
    }

    @Test
    void nrFreeHighpagesCountsTheHighmemZonesFreePages() {
        Machine m = Tiny.x86(1);
        Highmem h = m.highmem();
        assertThat(h.zones()).extracting(Zone::name).containsExactly("DMA", "HighMem");
        assertThat(h.nrFreeHighpages()).isEqualTo(8);
        as(m, 0, cpu -> {
            Page p = h.allocPage(cpu);
            assertThat(p.isHighMem()).as("GFP_HIGHUSER prefers HighMem").isTrue();
            assertThat(h.nrFreeHighpages()).isEqualTo(7);
            h.freePage(cpu, p);
            assertThat(h.nrFreeHighpages()).isEqualTo(8);
            for (int k = 0; k < 8; k++) {
                h.allocPage(cpu);
            }
            assertThat(h.nrFreeHighpages()).isZero();
            assertThat(h.allocPage(cpu).isHighMem()).as("then the lower zones").isFalse();
        });
    }
}
