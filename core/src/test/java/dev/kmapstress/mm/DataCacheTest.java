package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.machine.Tiny;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * arm-like's VIVT data cache: data written through one alias of a page reaches memory, and so
 * every other alias, only through the flushes 6.1's ARM code makes on the kmap paths
 * (flush_cache_kmaps before flush_all_zero_pkmaps clears the PKMAP PTEs,
 * arch_kmap_local_pre_unmap before kunmap_local clears its slot); x86 has no such cache.
 */
class DataCacheTest {

    private static void as(Machine m, Consumer<Cpu> body) {
        try (Cpu.Scope s = m.cpu(0).enter()) {
            body.accept(s.cpu());
        }
    }

    private static Machine arm(Fault... faults) {
        return Machine.build(Tiny.config(Profile.ARM_LIKE, 1, faults).build());
    }

    /**
     * p0 written through its PKMAP address and let go (count 1, still mapped), then the window's
     * flush (kmap_flush_unused: flush_all_zero_pkmaps) and a read through a kmap_local alias.
     * Returns what that alias reads in word 3.
     */
    private static int writeThroughPkmapFlushAndReadThroughKmapLocal(Machine m) {
        Page p0 = m.highPage(0);
        int[] seen = new int[1];
        as(m, cpu -> {
            long pkmap = m.highmem().kmap(cpu, p0);
            m.mmu().write(cpu, pkmap, 3, 0xa3);
            assertThat(m.mmu().read(cpu, pkmap, 3)).as("the writer's own alias").isEqualTo(0xa3);
            assertThat(p0.peek(3)).as("memory: on arm-like the line is dirty, not written back")
                    .isEqualTo(m.config().profile().vivtDataCache() ? 0 : 0xa3);
            m.highmem().kunmap(cpu, p0);
            m.pkmap().kmapFlushUnused(cpu);
            assertThat(m.highmem().pageAddress(cpu, p0)).isZero();
            long local = m.kmapLocal().kmapLocalPage(cpu, p0);
            assertThat(m.layout().inPkmapWindow(local)).isFalse();
            seen[0] = m.mmu().read(cpu, local, 3);
            m.kmapLocal().kunmapLocal(cpu, local);
        });
        return seen[0];
    }

    @Test
    void flushCacheKmapsWritesBackWhatWasWrittenThroughAPkmapAddressBeforeItIsUnmapped() {
        Machine m = arm();
        assertThat(writeThroughPkmapFlushAndReadThroughKmapLocal(m)).isEqualTo(0xa3);
        assertThat(m.highPage(0).peek(3)).isEqualTo(0xa3);
    }

    @Test
    void withoutFlushCacheKmapsAnotherAliasReadsStaleData() {
        Machine m = arm(Fault.NO_FLUSH_CACHE_KMAPS);
        assertThat(writeThroughPkmapFlushAndReadThroughKmapLocal(m)).as("stale: memory before the write").isZero();
        assertThat(m.highPage(0).peek(3)).isZero();
        assertThat(m.mmu().peek(m.highPage(0), 3)).as("still in a line tagged with p0").isEqualTo(0xa3);
    }

    /** The line stays under the freed address: the next page mapped there reads the old page's word. */
    @Test
    void withoutFlushCacheKmapsAReusedPkmapAddressShowsTheOldPagesData() {
        Machine m = arm(Fault.NO_FLUSH_CACHE_KMAPS);
        as(m, cpu -> {
            long a0 = m.highmem().kmap(cpu, m.highPage(0));
            m.mmu().write(cpu, a0, 1, 0xa1);
            m.highmem().kunmap(cpu, m.highPage(0));
            m.pkmap().kmapFlushUnused(cpu);
            long a1 = 0;
            for (int k = 1; a1 != a0; k++) {
                a1 = m.highmem().kmap(cpu, m.highPage(k));
            }
            assertThat(m.mmu().read(cpu, a1, 1)).as("p%d's word through 0x%08x", 0, a1).isEqualTo(0xa1);
        });
    }

    /** arch_kmap_local_pre_unmap writes the slot's lines back before its PTE is cleared. */
    @Test
    void kunmapLocalWritesBackWhatWasWrittenThroughItsSlot() {
        Machine m = arm();
        Page p1 = m.highPage(1);
        as(m, cpu -> {
            long local = m.kmapLocal().kmapLocalPage(cpu, p1);
            m.mmu().write(cpu, local, 0, 0xb0);
            assertThat(p1.peek(0)).isZero();
            m.kmapLocal().kunmapLocal(cpu, local);
            assertThat(p1.peek(0)).isEqualTo(0xb0);
            long pkmap = m.highmem().kmap(cpu, p1);
            assertThat(m.mmu().read(cpu, pkmap, 0)).isEqualTo(0xb0);
        });
    }

    /**
     * flush_dcache_page on ARM's VIVT cache writes back a highmem page's PKMAP alias, which is
     * where memcpy_to_page wrote (kmap_local_page found the page kmapped: kmap_high_get), and
     * leaves the page's count as it found it.
     */
    @Test
    void memcpyToPageWritesThePkmapAliasItWroteThroughBack() {
        Machine m = arm();
        as(m, cpu -> {
            Page p2 = m.highPage(2);
            int nr = m.layout().pkmapNr(m.highmem().kmap(cpu, p2));
            m.highmemCopy().memcpyToPage(cpu, p2, 1, new int[] {0xc1, 0xc2}, 2);
            assertThat(new int[] {p2.peek(1), p2.peek(2)}).containsExactly(0xc1, 0xc2);
            assertThat(m.pkmap().pkmapCount(nr)).isEqualTo(2);
        });
    }

    /** x86's caches are physically indexed: a write is in memory at once, flush or no flush. */
    @Test
    void x86KeepsNoDataCache() {
        Machine m = Tiny.x86(1, Fault.NO_FLUSH_CACHE_KMAPS);
        assertThat(writeThroughPkmapFlushAndReadThroughKmapLocal(m)).isEqualTo(0xa3);
    }
}
