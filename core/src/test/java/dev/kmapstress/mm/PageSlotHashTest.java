package dev.kmapstress.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.Tiny;
import org.junit.jupiter.api.Test;

/**
 * page_slot() hashes the struct page pointer, as mm/highmem.c does with hash_ptr(page, 7): on
 * 32-bit x86 that is hash_32 of mem_map + pfn * sizeof(struct page).
 */
class PageSlotHashTest {

    @Test
    void hash32IsTheGoldenRatioMultiplyKeepingTheTopBits() {
        assertThat(PageAddressTable.hash32(0, 7)).isZero();
        assertThat(PageAddressTable.hash32(1, 7)).as("0x61C88647 >> 25").isEqualTo(0x30);
        assertThat(PageAddressTable.hash32(0xbfffe140, 7)).isEqualTo(52);
    }

    @Test
    void memMapIsTheNodeRoundedToMaxOrderBelowTheTopOfLowmemIn40BytePages() {
        Machine m = Tiny.x86(1);
        assertThat(Layout.SIZEOF_STRUCT_PAGE).isEqualTo(40);
        // 8 lowmem + 8 highmem pages -> 1024 struct pages, 0xa000 bytes, ending at 0xc0008000.
        assertThat(m.layout().memMap()).isEqualTo(0xbfffe000L);
        assertThat(m.layout().pfnToPageAddress(8)).isEqualTo(0xbfffe140L);
    }

    @Test
    void theBucketOfAPageIsTheHashOfItsStructPageNotOfItsPfn() {
        Machine m = Tiny.x86(1);
        PageAddressTable t = m.pageAddressTable();
        int[] buckets = new int[8];
        for (int k = 0; k < 8; k++) {
            buckets[k] = t.bucketOf(m.highPage(k));
        }
        // hash_32(0xbfffe000 + pfn * 40, 7) for pfns 8..15; hashing the pfns would give 7, 56, 104, ...
        assertThat(buckets).containsExactly(52, 88, 124, 31, 67, 103, 10, 46);
    }
}
