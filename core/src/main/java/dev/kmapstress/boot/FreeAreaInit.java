package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SHIFT;

import java.util.ArrayList;
import java.util.List;

/**
 * The zone and node set-up of {@code mm/page_alloc.c} for one node (no NUMA), FLATMEM, no
 * kernelcore=/movablecore= (so ZONE_MOVABLE stays empty): the architectural zone ranges, the
 * node's span from memblock, each zone's spanned and present pages, and the holes reported as
 * "pages in unavailable ranges".
 *
 * <p>Algorithmic notes. Zone boundaries come from the architecture (DMA, Normal, HighMem maxima)
 * and start at the first RAM page; a zone's span in the node is that range clamped to the node's
 * first and last RAM page; its present pages are the span minus the holes between memblock
 * ranges. {@link #memmapInit} walks the memblock ranges zone by zone and reports each hole
 * against the zone of the range that follows it; a hole at a zone boundary therefore counts in
 * the upper zone. A hole is counted only where {@code pfn_valid()} holds for its pageblock's
 * first page, i.e. below max_mapnr rounded up to a whole pageblock.
 */
final class FreeAreaInit {

    static final int ZONE_DMA = 0;
    static final int ZONE_NORMAL = 1;
    static final int ZONE_HIGHMEM = 2;
    static final int ZONE_MOVABLE = 3;
    static final int MAX_NR_ZONES = 4;
    static final String[] ZONE_NAMES = {"DMA", "Normal", "HighMem", "Movable"};

    private final BootState k;
    private final long[] lowestPfn = new long[MAX_NR_ZONES];
    private final long[] highestPfn = new long[MAX_NR_ZONES];
    private final long[] zoneStartPfn = new long[MAX_NR_ZONES];
    private final long[] spannedPages = new long[MAX_NR_ZONES];
    private final long[] presentPages = new long[MAX_NR_ZONES];
    private final List<BootResult.Hole> holes = new ArrayList<>();
    private int movableZone;
    private PfnRange node = new PfnRange(0, 0);
    /** memmap_init()'s {@code hole_pfn}: where the RAM laid out so far ends. */
    private long holePfn;

    FreeAreaInit(BootState k) {
        this.k = k;
    }

    long archLowestPfn(int zone) { return lowestPfn[zone]; }
    long archHighestPfn(int zone) { return highestPfn[zone]; }
    long zoneStartPfn(int zone) { return zoneStartPfn[zone]; }
    long spannedPages(int zone) { return spannedPages[zone]; }
    long presentPages(int zone) { return presentPages[zone]; }
    List<BootResult.Hole> holes() { return List.copyOf(holes); }
    /** Node 0's [first RAM pfn, last RAM pfn + 1) from memblock. */
    PfnRange node() { return node; }

    /**
     * Models {@code free_area_init(max_zone_pfn)}: records and prints the zone ranges and the
     * early node map, then sets up node 0 and its memory map.
     */
    void freeAreaInit(long[] maxZonePfn) {
        long start = k.memblock.startOfDram() >>> PAGE_SHIFT;
        for (int z = 0; z < MAX_NR_ZONES; z++) {
            if (z == ZONE_MOVABLE) {
                continue;
            }
            long end = Math.max(maxZonePfn[z], start);
            lowestPfn[z] = start;
            highestPfn[z] = end;
            start = end;
        }
        findUsableZoneForMovable();
        k.dmesg.printk("Zone ranges:");
        for (int z = 0; z < MAX_NR_ZONES; z++) {
            if (z != ZONE_MOVABLE) {
                k.dmesg.printk("  %-8s %s", ZONE_NAMES[z], lowestPfn[z] == highestPfn[z] ? "empty"
                        : new PfnRange(lowestPfn[z], highestPfn[z]).mem18());
            }
        }
        k.dmesg.printk("Movable zone start for each node");
        k.dmesg.printk("Early memory node ranges");
        for (PfnRange r : k.memblock.pfnRanges()) {
            k.dmesg.printk("  node %3d: %s", 0, r.mem18());
        }
        freeAreaInitNode();
        memmapInit();
    }

    /** Models {@code find_usable_zone_for_movable()}: the highest zone with an architectural range. */
    private void findUsableZoneForMovable() {
        int z = MAX_NR_ZONES - 1;
        while (z > 0 && (z == ZONE_MOVABLE || highestPfn[z] <= lowestPfn[z])) {
            z--;
        }
        movableZone = z;
    }

    /** Models {@code is_highmem_idx()}. */
    boolean isHighmem(int zone) {
        return zone == ZONE_HIGHMEM || (zone == ZONE_MOVABLE && movableZone == ZONE_HIGHMEM);
    }

    /** Models {@code free_area_init_node(0)}: the node's span, printed, then its zones' sizes. */
    private void freeAreaInitNode() {
        node = getPfnRangeForNid();
        if (node.start() != node.end()) {
            k.dmesg.printk("Initmem setup node %d %s", 0, Dmesg.mem18(node.start() << PAGE_SHIFT,
                    node.end() != 0 ? (node.end() << PAGE_SHIFT) - 1 : 0));
        } else {
            k.dmesg.printk("Initmem setup node %d as memoryless", 0);
        }
        calculateNodeTotalpages(node.start(), node.end());
    }

    /** Models {@code get_pfn_range_for_nid()}: the lowest start and highest end of the node's RAM. */
    private PfnRange getPfnRangeForNid() {
        List<PfnRange> ranges = k.memblock.pfnRanges();
        long start = ranges.stream().mapToLong(PfnRange::start).min().orElse(0);
        long end = ranges.stream().mapToLong(PfnRange::end).max().orElse(0);
        return new PfnRange(start, end);
    }

    /** Models {@code calculate_node_totalpages()}: each zone's start, spanned and present pages. */
    private void calculateNodeTotalpages(long nodeStart, long nodeEnd) {
        for (int z = 0; z < MAX_NR_ZONES; z++) {
            PfnRange span = zoneSpannedPagesInNode(z, nodeStart, nodeEnd);
            long absent = zoneAbsentPagesInNode(z, nodeStart, nodeEnd);
            spannedPages[z] = span.pages();
            presentPages[z] = span.pages() - absent;
            zoneStartPfn[z] = span.pages() != 0 ? span.start() : 0;
        }
    }

    /**
     * Models {@code zone_spanned_pages_in_node()}: the zone's architectural range clamped to
     * the node (an empty range when they do not meet).
     */
    private PfnRange zoneSpannedPagesInNode(int zone, long nodeStart, long nodeEnd) {
        if (nodeStart == 0 && nodeEnd == 0) {
            return new PfnRange(0, 0);
        }
        PfnRange zr = new PfnRange(nodeStart, nodeEnd).clamp(lowestPfn[zone], highestPfn[zone]);
        if (zr.end() < nodeStart || zr.start() > nodeEnd) {
            return new PfnRange(0, 0);
        }
        return new PfnRange(Math.max(zr.start(), nodeStart), Math.min(zr.end(), nodeEnd));
    }

    /** Models {@code zone_absent_pages_in_node()}: the holes inside the zone's part of the node. */
    private long zoneAbsentPagesInNode(int zone, long nodeStart, long nodeEnd) {
        if (nodeStart == 0 && nodeEnd == 0) {
            return 0;
        }
        PfnRange zr = new PfnRange(nodeStart, nodeEnd).clamp(lowestPfn[zone], highestPfn[zone]);
        return absentPagesInRange(zr.start(), zr.end());
    }

    /** Models {@code __absent_pages_in_range()}: pages of [start, end) no memblock range covers. */
    private long absentPagesInRange(long start, long end) {
        long absent = end - start;
        for (PfnRange r : k.memblock.pfnRanges()) {
            absent -= r.clamp(start, end).pages();
        }
        return absent;
    }

    /**
     * Models {@code memmap_init()} (FLATMEM): every RAM range is laid into the populated zones it
     * meets; each gap before such a piece, and the gap after the last, is an unavailable range.
     */
    private void memmapInit() {
        int zoneId = 0;
        long endPfn = 0;
        for (PfnRange r : k.memblock.pfnRanges()) {
            for (int z = 0; z < MAX_NR_ZONES; z++) {
                if (presentPages[z] == 0) {
                    continue;
                }
                memmapInitZoneRange(z, r);
                zoneId = z;
            }
            endPfn = r.end();
        }
        initUnavailableRange(holePfn, endPfn, zoneId);
    }

    /** Models {@code memmap_init_zone_range()}: the part of {@code r} in the zone, and the hole before it. */
    private void memmapInitZoneRange(int zone, PfnRange r) {
        long zoneEnd = zoneStartPfn[zone] + spannedPages[zone];
        PfnRange part = r.clamp(zoneStartPfn[zone], zoneEnd);
        if (part.start() >= part.end()) {
            return;
        }
        if (holePfn < part.start()) {
            initUnavailableRange(holePfn, part.start(), zone);
        }
        holePfn = part.end();
    }

    /**
     * Models {@code init_unavailable_range()}: counts the pfns of [spfn, epfn) whose pageblock
     * starts at a valid pfn (below max_mapnr rounded up to a pageblock) and reports them.
     */
    private void initUnavailableRange(long spfn, long epfn, int zone) {
        long block = k.profile.pageblockPages();
        long validEnd = Math.floorDiv(k.maxMapnr + block - 1, block) * block;
        long count = Math.max(0, Math.min(epfn, validEnd) - spfn);
        if (count > 0) {
            k.dmesg.printk("On node %d, zone %s: %d pages in unavailable ranges", 0, ZONE_NAMES[zone],
                    count);
            holes.add(new BootResult.Hole(ZONE_NAMES[zone], count));
        }
    }

    /** Models {@code get_num_physpages()}: the present pages of every zone. */
    long physpages() {
        long sum = 0;
        for (long p : presentPages) {
            sum += p;
        }
        return sum;
    }

    /**
     * Models {@code mem_init_print_info()}: the {@code Memory:} line. Only the total of present
     * pages and the highmem figure follow from the memory map; the figures that depend on the
     * kernel image and on boot-time reservations are printed as {@code ?} (not modelled).
     */
    void memInitPrintInfo() {
        k.dmesg.printk("Memory: ?K/%dK available (?K kernel code, ?K rwdata, ?K rodata, ?K init,"
                + " ?K bss, ?K reserved, ?K cma-reserved, %dK highmem)",
                physpages() << (PAGE_SHIFT - 10), k.totalhighPages << (PAGE_SHIFT - 10));
    }
}
