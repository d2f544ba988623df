package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.log.ReportKind;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The edges of the highmem API: the 16 MB end of ZONE_DMA, the checks of kunmap and
 * alloc_page (might_sleep), the FIX_KMAP_END end of __kmap_to_page's range, and the page end
 * of the copy helpers' bound.
 */
class HighmemEdgesTest {

    private static void as(Machine m, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(0).enter()) {
            body.accept(s.cpu());
        }
    }

    @Test
    void zoneDmaEndsAtSixteenMegabytes() {
        Machine m = Machine.build(Tiny.config(Profile.X86_PAE, 1).lowmemPages(4097).build());
        assertThat(m.highmem().zones()).extracting(Zone::toString).containsExactly("DMA", "Normal", "HighMem");
        Zone dma = m.highmem().zones().get(0);
        Zone normal = m.highmem().zones().get(1);
        assertThat(dma.zoneStartPfn()).isZero();
        assertThat(dma.spannedPages()).isEqualTo(4096);
        assertThat(normal.zoneStartPfn()).as("pfn 4096 is the first page above 16 MB").isEqualTo(4096);
        assertThat(normal.spannedPages()).isEqualTo(1);
        assertThat(normal.populated()).isTrue();
        assertThat(normal.isHighmem()).isFalse();
    }

    @Test
    void kunmapAndAllocPageMaySleep() {
        Machine m = Tiny.x86(1);
        as(m, cpu -> {
            m.highmem().kmap(cpu, m.lowPage(0));
            cpu.preemptDisable();
            m.highmem().kunmap(cpu, m.lowPage(0));
            cpu.preemptEnable();
        });
        assertThat(m.log().reports().get(0).lines())
                .contains("BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:55");

        Machine n = Tiny.x86(1);
        as(n, cpu -> {
            cpu.preemptDisable();
            assertThat(n.highmem().allocPage(cpu)).isNotNull();
            cpu.preemptEnable();
        });
        assertThat(n.log().count(ReportKind.SLEEP_IN_ATOMIC)).isEqualTo(1);
        assertThat(n.log().reports().get(0).lines())
                .contains("BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274");
    }

    @Test
    void kmapToPageCountsTheLowestFixKmapAddressAsKmapLocal() {
        Machine m = Tiny.x86(1);
        long fixKmapEnd = m.layout().fixToVirt(m.layout().fixKmapEnd());
        as(m, cpu -> m.highmem().kmapToPage(cpu, fixKmapEnd));
        assertThat(m.log().reports().get(0).lines())
                .contains("WARNING: CPU: 0 PID: 100 at mm/highmem.c:167 __kmap_to_page");
    }

    @Test
    void theCopyHelpersReachTheLastWordOfThePage() {
        Machine m = Tiny.x86(1);
        Page p = m.highPage(0);
        HighmemCopy copy = m.highmemCopy();
        java.util.Arrays.fill(p.payload(), 7);
        as(m, cpu -> {
            copy.memcpyToPage(cpu, p, 6, new int[] {1, 2}, 2);
            copy.zeroUserSegments(cpu, p, 0, 0, 2, 4);
            copy.zeroUserSegments(cpu, p, 0, 0, 7, 8);
            copy.memcpyToPage(cpu, p, 0, new int[0], 0);
            assertThat(m.kmapLocal().depth(cpu)).as("every helper unmapped what it mapped").isZero();
            assertThatThrownBy(() -> copy.memcpyToPage(cpu, p, 0, new int[1], 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("from holds 1 words, fewer than len=2 (allowed: len <= 1)");
        });
        assertThat(p.payload()).containsExactly(7, 7, 0, 0, 7, 7, 1, 0);
        assertThat(m.log().total()).isZero();
    }
}
