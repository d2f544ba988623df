package dev.kmapstress.boot;

import static dev.kmapstress.boot.BootProfile.X86_4G;
import static dev.kmapstress.boot.BootProfile.X86_PAE;
import static dev.kmapstress.boot.TestMaps.GB;
import static dev.kmapstress.boot.TestMaps.MB;
import static dev.kmapstress.boot.TestMaps.line;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Boots the examples do not show: RAM above 4 GB on both profiles, vmalloc= and mem= moving the
 * split, holes and the PCI gap. Expected figures are worked out by hand from the kernel source.
 */
class BootScenariosTest {

    @Test
    void highmem4gIgnoresRamAbove4Gb() {
        // 6 GB in QEMU: 3 GB under 4 GB, 3 GB from 4 GB. max_arch_pfn 0x100000 keeps last_pfn
        // under 4 GB, memblock (32-bit phys_addr_t) skips the entry above, and because
        // max_pfn can no longer exceed 4 GB, init_32.c's "only 4GB will be used" never prints.
        BootResult r = TestMaps.boot(X86_4G, 6 * GB, "");

        assertThat(r.kernelLines()).containsSubsequence("last_pfn = 0xbffe0 max_arch_pfn = 0x100000",
                "2195MB HIGHMEM available.", "875MB LOWMEM available.",
                "  HighMem  [mem 0x0000000036bfe000-0x00000000bffdffff]", "Early memory node ranges",
                "  node   0: [mem 0x0000000000001000-0x000000000009efff]",
                "  node   0: [mem 0x0000000000100000-0x00000000bffdffff]",
                "Initmem setup node 0 [mem 0x0000000000001000-0x00000000bffdffff]",
                "PM: hibernation: Registered nosave memory: [mem 0xbffe0000-0xffffffff]",
                "[mem 0xc0000000-0xfffbffff] available for PCI devices",
                "Initializing HighMem for node 0 (00036bfe:000bffe0)");
        assertThat(r.kernelLines()).noneMatch(l -> l.startsWith("  node") && l.contains("0x0000000100000000"))
                .noneMatch(l -> l.startsWith("Warning"));
        assertThat(r.highmemPages()).isEqualTo(0xbffe0 - 0x36bfe);
    }

    @Test
    void highmem64gUsesRamAbove4GbAndCountsTheHoleBelowIt() {
        // The 3 GB..4 GB hole lies inside HighMem: 0x100000 - 0xbffe0 = 262176 pages. Present:
        // DMA 0xfff - 97 = 3998, Normal 0x35ffe = 221182, HighMem 0x88fe2 + 0xc0000 = 1347554.
        BootResult r = TestMaps.boot(X86_PAE, 6 * GB, "");

        assertThat(r.kernelLines()).containsSubsequence("last_pfn = 0x1c0000 max_arch_pfn = 0x1000000",
                "6288MB HIGHMEM available.", "879MB LOWMEM available.",
                "  HighMem  [mem 0x0000000036ffe000-0x00000001bfffffff]",
                "  node   0: [mem 0x0000000100000000-0x00000001bfffffff]",
                "Initmem setup node 0 [mem 0x0000000000001000-0x00000001bfffffff]",
                "On node 0, zone HighMem: 262176 pages in unavailable ranges",
                "Initializing HighMem for node 0 (00036ffe:001c0000)",
                "Memory: ?K/6290936K available (?K kernel code, ?K rwdata, ?K rodata, ?K init, ?K bss,"
                        + " ?K reserved, ?K cma-reserved, 5390216K highmem)");
    }

    @Test
    void vmallocMovesTheSplit() {
        // vmalloc=256M: reserve 256 + 8 MB, MAXMEM = 0x3effe000 - 0x10800000 = 0x2e7fe000.
        BootResult bigger = TestMaps.boot(X86_PAE, 2 * GB, "vmalloc=256M");
        // vmalloc=64M: reserve 72 MB, MAXMEM = 0x3a7fe000.
        BootResult smaller = TestMaps.boot(X86_PAE, 2 * GB, "vmalloc=64M");

        assertThat(bigger.kernelLines()).containsSubsequence("1303MB HIGHMEM available.",
                "743MB LOWMEM available.", "  low ram: 0 - 2e7fe000");
        assertThat(bigger.vmallocStart()).isEqualTo(0xc000_0000L + 0x2e7f_e000L + 8 * MB);
        assertThat(smaller.kernelLines()).containsSubsequence("1111MB HIGHMEM available.",
                "935MB LOWMEM available.", "  low ram: 0 - 3a7fe000");
        assertThat(smaller.vmallocEnd()).isEqualTo(bigger.vmallocEnd()).isEqualTo(0xfeff_e000L);
    }

    @Test
    void aVmallocReserveThatWrapsIsModelledAndFlagged() {
        // vmalloc=4088M: 4088 + 8 MB = 2^32, an unsigned int 0: MAXMEM = 0x3effe000, 1007 MB.
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "vmalloc=4088M");

        assertThat(r.kernelLines()).contains("1007MB LOWMEM available.");
        assertThat(r.notes()).singleElement().asString().startsWith("__VMALLOC_RESERVE 0x0 wrapped");
        assertThat(TestMaps.boot(X86_PAE, 2 * GB, "vmalloc=900M").notes()).isEmpty();
    }

    @Test
    void memBelow896MbLeavesOnlyLowmemAndPrintsTheUserMap() {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "console=ttyS0 mem=512M");

        assertThat(r.kernelLines()).containsSubsequence("user-defined physical RAM map:",
                "user: [mem 0x0000000000000000-0x000000000009fbff] usable",
                "user: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
                "user: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
                "user: [mem 0x0000000000100000-0x000000001fffffff] usable",
                "user: [mem 0x000000007ffe0000-0x000000007fffffff] reserved",
                "user: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved",
                "last_pfn = 0x20000 max_arch_pfn = 0x1000000", "0MB HIGHMEM available.",
                "512MB LOWMEM available.", "  HighMem  empty",
                "[mem 0x80000000-0xfffbffff] available for PCI devices",
                "Kernel command line: console=ttyS0 mem=512M");
    }

    @Test
    void memAbove896MbLeavesLessHighmem() {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "mem=1536M");

        assertThat(r.kernelLines()).containsSubsequence("user-defined physical RAM map:",
                "user: [mem 0x0000000000100000-0x000000005fffffff] usable",
                "last_pfn = 0x60000 max_arch_pfn = 0x1000000", "656MB HIGHMEM available.",
                "879MB LOWMEM available.", "  HighMem  [mem 0x0000000036ffe000-0x000000005fffffff]",
                "Initializing HighMem for node 0 (00036ffe:00060000)");
        assertThat(r.highmemPages()).isEqualTo(0x60000 - 0x36ffe);
    }

    @Test
    void memZeroIsRefusedByTheKernelAfterMarkingTheMapUserDefined() {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "mem=0");

        assertThat(r.kernelLines()).containsSubsequence("Malformed early option 'mem'",
                "user-defined physical RAM map:",
                "user: [mem 0x0000000000100000-0x000000007ffdffff] usable", "1167MB HIGHMEM available.");
    }

    @Test
    void holesAreCountedPerZoneAndThePciGapIsTheBiggestBelow4Gb() {
        String map = line(0, 0x9_fbff, "usable") + line(0x9_fc00, 0x9_ffff, "reserved")
                + line(0xf_0000, 0xf_ffff, "reserved") + line(0x10_0000, 0x0fff_ffff, "usable")
                + line(0x1000_0000, 0x107f_ffff, "reserved") + line(0x1080_0000, 0x5fff_ffff, "usable")
                + line(0xfec0_0000L, 0xfec0_0fffL, "reserved") + line(0xfee0_0000L, 0xfee0_0fffL, "reserved")
                + line(0xfffc_0000L, 0xffff_ffffL, "reserved");

        BootResult r = Boot.fromE820Text(X86_PAE, map, "");

        assertThat(r.kernelLines()).containsSubsequence(
                "On node 0, zone DMA: 1 pages in unavailable ranges",
                "On node 0, zone DMA: 97 pages in unavailable ranges",
                "On node 0, zone Normal: 2048 pages in unavailable ranges",
                "PM: hibernation: Registered nosave memory: [mem 0x00000000-0x00000fff]",
                "PM: hibernation: Registered nosave memory: [mem 0x0009f000-0x000fffff]",
                "PM: hibernation: Registered nosave memory: [mem 0x10000000-0x107fffff]",
                "[mem 0x60000000-0xfebfffff] available for PCI devices");
        assertThat(r.holes()).containsExactly(new BootResult.Hole("DMA", 1), new BootResult.Hole("DMA", 97),
                new BootResult.Hole("Normal", 2048));
    }

    @Test
    void aHoleAcrossAZoneBoundaryCountsInTheZoneAbove() {
        String map = line(0, 0x9_fbff, "usable") + line(0x10_0000, 0xdf_ffff, "usable")
                + line(0xe0_0000, 0x10f_ffff, "reserved") + line(0x110_0000, 0x3fff_ffff, "usable");

        BootResult r = Boot.fromE820Text(X86_PAE, map, "");

        assertThat(r.holes()).containsExactly(new BootResult.Hole("DMA", 1), new BootResult.Hole("DMA", 97),
                new BootResult.Hole("Normal", 0x300));
    }

    @Test
    void withoutA4MbGapPciGetsTheDefaultAt256Mb() {
        String map = line(0, 0x9_fbff, "usable") + line(0x9_fc00, 0xf_ffff, "reserved")
                + line(0x10_0000, 0xdfff_ffffL, "usable") + line(0xe000_0000L, 0xffff_ffffL, "reserved");

        BootResult r = Boot.fromE820Text(X86_PAE, map, "");

        assertThat(r.kernelLines()).contains("[mem 0x10000000-0x103fffff] available for PCI devices");
    }

    @Test
    void anUnsortedOverlappingMapIsSanitizedBeforeItIsPrinted() {
        String map = line(0x10_0000, 0x7ffd_ffff, "usable") + line(0x7ffe_0000, 0x7fff_ffff, "reserved")
                + line(0, 0x9_ffff, "usable") + line(0x9_fc00, 0x9_ffff, "reserved")
                + line(0xf_0000, 0xf_ffff, "reserved") + line(0xfffc_0000L, 0xffff_ffffL, "reserved")
                + line(0x7f00_0000, 0x7fff_ffff, "reserved");

        BootResult r = Boot.fromE820Text(X86_PAE, map, "");

        assertThat(r.kernelLines().subList(0, 7)).containsExactly("BIOS-provided physical RAM map:",
                "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
                "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
                "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
                "BIOS-e820: [mem 0x0000000000100000-0x000000007effffff] usable",
                "BIOS-e820: [mem 0x000000007f000000-0x000000007fffffff] reserved",
                "BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved");
    }

    @Test
    void unmodelledParametersAndSmallMapsGetANote() {
        BootResult r = TestMaps.boot(X86_PAE, 2 * GB, "memmap=64M$1G");
        BootResult tiny = TestMaps.boot(X86_PAE, 2 * GB, "mem=32M");

        assertThat(r.notes()).singleElement().asString().startsWith("parameter 'memmap' is not modelled");
        assertThat(tiny.notes()).singleElement().asString().startsWith("RAM does not cover 16..64 MB");
        assertThat(tiny.kmapStressSection()).anyMatch(l -> l.startsWith("note: RAM does not cover"));
    }
}
