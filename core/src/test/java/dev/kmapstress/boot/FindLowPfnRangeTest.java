package dev.kmapstress.boot;

import static dev.kmapstress.boot.BootProfile.X86_PAE;
import static dev.kmapstress.boot.TestMaps.GB;
import static dev.kmapstress.boot.TestMaps.MB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Both branches of find_low_pfn_range() with every message they print, on QEMU-shaped maps for
 * x86-pae (MAXMEM_PFN 0x36ffe: VMALLOC_END 0xfeffe000 - PAGE_OFFSET - 128 MB reserve). Expected
 * figures are worked out from init_32.c by hand in the comments.
 */
class FindLowPfnRangeTest {

    @Test
    void allRamInLowmemMeansNoHighmemAtAll() {
        // 512 MB: RAM ends at 0x1ffe0000, below MAXMEM, so the lowmem-only branch; no highmem=.
        BootResult r = TestMaps.boot(X86_PAE, 512 * MB, "");

        assertThat(r.kernelLines()).containsSubsequence("last_pfn = 0x1ffe0 max_arch_pfn = 0x1000000",
                "0MB HIGHMEM available.", "511MB LOWMEM available.", "  mapped low ram: 0 - 1ffe0000",
                "  low ram: 0 - 1ffe0000", "Zone ranges:",
                "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
                "  Normal   [mem 0x0000000001000000-0x000000001ffdffff]", "  HighMem  empty",
                "Initializing HighMem for node 0 (00000000:00000000)");
        // With HighMem empty, ZONE_MOVABLE would sit in Normal: not highmem, no line for it.
        assertThat(r.kernelLines()).noneMatch(l -> l.startsWith("Initializing Movable"));
        assertThat(r.kernelLines().get(r.kernelLines().size() - 1)).endsWith(", 0K highmem)");
    }

    @Test
    void highmemLargerThanRamIsRefused() {
        // highmem=1G is 0x40000 pages, not below max_pfn 0x1ffe0.
        BootResult r = TestMaps.boot(X86_PAE, 512 * MB, "highmem=1G");

        assertThat(r.kernelLines()).containsSubsequence("last_pfn = 0x1ffe0 max_arch_pfn = 0x1000000",
                "highmem size (1024MB) is bigger than pages available (511MB)!",
                "0MB HIGHMEM available.", "511MB LOWMEM available.");
    }

    @Test
    void highmemLeavingUnder64MbOfLowmemIsRefused() {
        // 0x1ffe0 - 480 MB (0x1e000 pages) = 0x1fe0 pages, under 64 MB (0x4000 pages).
        BootResult r = TestMaps.boot(X86_PAE, 512 * MB, "highmem=480M");

        assertThat(r.kernelLines()).containsSubsequence(
                "highmem size (480MB) results in <64MB lowmem, ignoring it!", "0MB HIGHMEM available.",
                "511MB LOWMEM available.");
    }

    @Test
    void highmemCarvesHighmemOutOfAMachineWithoutAny() {
        // max_low_pfn = 0x1ffe0 - 0x8000 = 0x17fe0; [0x17fe0, 0x1ffe0) becomes highmem.
        BootResult r = TestMaps.boot(X86_PAE, 512 * MB, "highmem=128M");

        assertThat(r.kernelLines()).containsSubsequence("128MB HIGHMEM available.",
                "383MB LOWMEM available.", "  mapped low ram: 0 - 17fe0000", "  low ram: 0 - 17fe0000",
                "  Normal   [mem 0x0000000001000000-0x0000000017fdffff]",
                "  HighMem  [mem 0x0000000017fe0000-0x000000001ffdffff]",
                "Initializing HighMem for node 0 (00017fe0:0001ffe0)",
                "Initializing Movable for node 0 (00000000:00000000)");
        assertThat(r.highmemPages()).isEqualTo(0x8000);
    }

    @Test
    void highmemCapsTheHighmemOfABigMachine() {
        // max_pfn = MAXMEM_PFN + 0x20000 = 0x56ffe; RAM above stays in memblock (the node
        // ranges) but no zone reaches it. The final hole [0x56ffe, 0x7ffe0) counts only the
        // pfns of the pageblock (512 pages) that max_mapnr 0x56ffe cuts: 0x56ffe and 0x56fff.
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "highmem=512M");

        assertThat(r.kernelLines()).containsSubsequence("last_pfn = 0x7ffe0 max_arch_pfn = 0x1000000",
                "512MB HIGHMEM available.", "879MB LOWMEM available.",
                "  HighMem  [mem 0x0000000036ffe000-0x0000000056ffdfff]",
                "  node   0: [mem 0x0000000000100000-0x000000007ffdffff]",
                "Initmem setup node 0 [mem 0x0000000000001000-0x000000007ffdffff]",
                "On node 0, zone DMA: 97 pages in unavailable ranges",
                "On node 0, zone HighMem: 2 pages in unavailable ranges",
                "Initializing HighMem for node 0 (00036ffe:00056ffe)");
        assertThat(r.maxPfn()).isEqualTo(0x56ffe);
        assertThat(r.highmemPages()).isEqualTo(0x20000);
    }

    @Test
    void highmemAskingForMoreThanThereIsIsIgnored() {
        // 0x80000 + 0x36ffe > max_pfn 0x7ffe0: the available highmem is (0x7ffe0 - 0x36ffe) >> 8 MB.
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "highmem=2G");

        assertThat(r.kernelLines()).containsSubsequence(
                "only 1167MB highmem pages available, ignoring highmem size of 2048MB!",
                "1167MB HIGHMEM available.", "879MB LOWMEM available.");
        assertThat(r.highmemPages()).isEqualTo(0x7ffe0 - 0x36ffe);
    }

    @Test
    void highmemZeroDropsAllHighmem() {
        // max_pfn = MAXMEM_PFN: no HighMem zone; the final hole after Normal counts the two pfns
        // left in Normal's last pageblock (0x36ffe, 0x36fff).
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "highmem=0");

        assertThat(r.kernelLines()).containsSubsequence("0MB HIGHMEM available.",
                "879MB LOWMEM available.", "  HighMem  empty",
                "On node 0, zone Normal: 2 pages in unavailable ranges",
                "Initializing HighMem for node 0 (00000000:00000000)");
        assertThat(r.highmemPages()).isZero();
    }

    @Test
    void malformedHighmemIsTheKernelsWarningNotBadInput() {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "highmem");

        assertThat(r.kernelLines()).containsSubsequence("BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
                "Malformed early option 'highmem'", "last_pfn = 0x7ffe0 max_arch_pfn = 0x1000000",
                "1167MB HIGHMEM available.");
    }
}
