package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SIZE;

import dev.kmapstress.machine.MachineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one modelled boot decided: the kernel's lines in the kernel's order and wording, the
 * numbers behind them (max_pfn, max_low_pfn, zones, holes, PCI gap, highmem pages), the virtual
 * layout they imply, and a {@link MachineConfig.Builder} sized from it.
 *
 * <pre>{@code
 * BootResult boot = Boot.fromLog(BootProfile.X86_PAE, Files.readString(log));
 * boot.kernelLines().forEach(System.out::println);
 * BootMachine sized = boot.toMachineConfig();            // highmem scaled to fit if needed
 * Machine m = Machine.build(sized.builder().cpus(2).build());
 * }</pre>
 */
public final class BootResult {

    /** The separator between the kernel's lines and kmap-stress's own section. */
    public static final String SECTION = "---- kmap-stress: model facts (not kernel output) ----";

    /** A zone as free_area_init() left it in node 0. */
    public record Zone(String name, PfnRange archRange, long startPfn, long spannedPages,
            long presentPages) {
    }

    /** A hole memmap_init() reported as unavailable pages, and the zone it counted them in. */
    public record Hole(String zone, long pages) {
    }

    private final BootProfile profile;
    private final String cmdline;
    private final List<String> kernelLines;
    private final List<E820Region> biosMap;
    private final List<E820Region> finalMap;
    private final long maxPfn;
    private final long maxLowPfn;
    private final long maxPfnMapped;
    private final long highstartPfn;
    private final long highendPfn;
    private final long highMemory;
    private final long vmallocReserve;
    private final List<Zone> zones = new ArrayList<>();
    private final List<PfnRange> nodeRanges;
    private final List<Hole> holes;
    private final long pciGapStart;
    private final long pciGapSize;
    private final long physpages;
    private final long totalhighPages;
    private final List<String> notes;

    BootResult(BootState k) {
        this.profile = k.profile;
        this.cmdline = k.cmdline;
        this.kernelLines = k.dmesg.lines();
        this.biosMap = k.biosMap;
        this.finalMap = k.e820.regions();
        this.maxPfn = k.maxPfn;
        this.maxLowPfn = k.maxLowPfn;
        this.maxPfnMapped = k.maxPfnMapped;
        this.highstartPfn = k.highstartPfn;
        this.highendPfn = k.highendPfn;
        this.highMemory = k.highMemory;
        this.vmallocReserve = k.vmallocReserve;
        for (int z = 0; z < FreeAreaInit.MAX_NR_ZONES; z++) {
            zones.add(new Zone(FreeAreaInit.ZONE_NAMES[z],
                    new PfnRange(k.zones.archLowestPfn(z), k.zones.archHighestPfn(z)),
                    k.zones.zoneStartPfn(z), k.zones.spannedPages(z), k.zones.presentPages(z)));
        }
        this.nodeRanges = k.memblock.pfnRanges();
        this.holes = k.zones.holes();
        this.pciGapStart = k.pciGapStart;
        this.pciGapSize = k.pciGapSize;
        this.physpages = k.zones.physpages();
        this.totalhighPages = k.totalhighPages;
        this.notes = List.copyOf(k.notes);
    }

    public BootProfile profile() { return profile; }
    public String cmdline() { return cmdline; }
    /** The kernel's lines, without timestamps, in the order the kernel prints them. */
    public List<String> kernelLines() { return kernelLines; }
    /** The firmware map after the kernel sanitized it (its BIOS-e820 lines). */
    public List<E820Region> biosMap() { return biosMap; }
    /** The e820 table after mem= and trim_bios_range(), as the PCI gap search sees it. */
    public List<E820Region> finalMap() { return finalMap; }
    public long maxArchPfn() { return profile.maxArchPfn(); }
    public long maxPfn() { return maxPfn; }
    public long maxLowPfn() { return maxLowPfn; }
    public long maxPfnMapped() { return maxPfnMapped; }
    public long highstartPfn() { return highstartPfn; }
    public long highendPfn() { return highendPfn; }
    /** {@code __VMALLOC_RESERVE} after vmalloc=. */
    public long vmallocReserve() { return vmallocReserve; }
    /** DMA, Normal, HighMem, Movable. */
    public List<Zone> zones() { return List.copyOf(zones); }
    /** The early memory node ranges (memblock.memory in pages). */
    public List<PfnRange> nodeRanges() { return nodeRanges; }
    public List<Hole> holes() { return holes; }
    public long pciGapStart() { return pciGapStart; }
    public long pciGapSize() { return pciGapSize; }
    /** Present pages of all zones (the second figure of the Memory: line, in pages). */
    public long physpages() { return physpages; }
    /** {@code totalhigh_pages}: the highmem pages the page allocator receives. */
    public long highmemPages() { return totalhighPages; }
    /** Lowmem pages: the direct map ends at max_low_pfn. */
    public long lowmemPages() { return maxLowPfn; }
    /** What the model leaves out for this boot (not kernel output). */
    public List<String> notes() { return notes; }

    public long pageOffset() { return profile.pageOffset(); }
    /** {@code high_memory}: the end of the direct map. */
    public long highMemory() { return highMemory; }
    /** VMALLOC_START = high_memory + VMALLOC_OFFSET. */
    public long vmallocStart() { return I386.ul(highMemory + BootProfile.VMALLOC_OFFSET); }
    public long vmallocEnd() { return profile.vmallocEnd(); }

    /**
     * A machine configuration for this boot's profile with its lowmem and highmem page counts,
     * highmem capped at {@link MachineConfig#MAX_HIGHMEM_PAGES}.
     */
    public BootMachine toMachineConfig() {
        return toMachineConfig(MachineConfig.MAX_HIGHMEM_PAGES);
    }

    /**
     * A machine configuration for this boot, its highmem page count scaled down to
     * {@code highmemCap} where the boot has more (a note says so), its lowmem count to what a
     * machine of the profile allows.
     *
     * @throws IllegalArgumentException if the cap is outside 0..MAX_HIGHMEM_PAGES
     */
    public BootMachine toMachineConfig(int highmemCap) {
        if (highmemCap < 0 || highmemCap > MachineConfig.MAX_HIGHMEM_PAGES) {
            throw new IllegalArgumentException("highmem cap " + highmemCap + ": must be 0.."
                    + MachineConfig.MAX_HIGHMEM_PAGES);
        }
        long lowLimit = Math.min(MachineConfig.MAX_LOWMEM_PAGES,
                (profile.profile().vmallocEnd() - pageOffset()) / PAGE_SIZE);
        int high = (int) Math.min(totalhighPages, highmemCap);
        int low = (int) Math.max(1, Math.min(lowmemPages(), lowLimit));
        List<String> scaling = new ArrayList<>();
        if (high < totalhighPages) {
            scaling.add(String.format(Locale.ROOT, "highmem scaled from %d to %d pages (cap %d)",
                    totalhighPages, high, highmemCap));
        }
        if (low != lowmemPages()) {
            scaling.add(String.format(Locale.ROOT, "lowmem scaled from %d to %d pages (machine limit)",
                    lowmemPages(), low));
        }
        MachineConfig.Builder b = MachineConfig.builder(profile.profile()).highmemPages(high)
                .lowmemPages(low);
        return new BootMachine(b, low, high, scaling);
    }

    /** kmap-stress's own section: the layout this boot implies and the machine it sizes. */
    public List<String> kmapStressSection() {
        List<String> out = new ArrayList<>();
        out.add(SECTION);
        out.add("profile " + profile.id() + " (" + profile.profile().description() + ")");
        hex(out, "PAGE_OFFSET", pageOffset());
        hex(out, "high_memory", highMemory);
        hex(out, "VMALLOC_START", vmallocStart());
        hex(out, "VMALLOC_END", vmallocEnd());
        hex(out, "PKMAP_BASE", profile.pkmapBase());
        out.add("LAST_PKMAP " + profile.lastPkmap());
        hex(out, "FIXADDR_START", profile.fixaddrStart());
        hex(out, "FIXADDR_TOP", profile.fixaddrTop());
        out.add(String.format(Locale.ROOT, "FIX_KMAP %d..%d 0x%08x..0x%08x", profile.fixKmapBegin(),
                profile.fixKmapEnd(), profile.fixToVirt(profile.fixKmapBegin()),
                profile.fixToVirt(profile.fixKmapEnd())));
        out.add("lowmem-pages " + lowmemPages());
        out.add("highmem-pages " + totalhighPages);
        BootMachine machine = toMachineConfig();
        out.add("machine lowmem-pages " + machine.lowmemPages() + " highmem-pages " + machine.highmemPages());
        machine.notes().forEach(n -> out.add("note: " + n));
        notes.forEach(n -> out.add("note: " + n));
        return out;
    }

    /** The kernel's lines, a blank line, then kmap-stress's section. */
    public List<String> text() {
        List<String> out = new ArrayList<>(kernelLines);
        out.add("");
        out.addAll(kmapStressSection());
        return out;
    }

    private static void hex(List<String> out, String name, long value) {
        out.add(String.format(Locale.ROOT, "%s 0x%08x", name, value));
    }
}
