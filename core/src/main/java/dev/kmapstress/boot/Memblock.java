package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SHIFT;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code memblock.memory} of {@code mm/memblock.c}: the RAM the early allocator knows, as sorted,
 * disjoint regions with touching regions merged (one node, no flags). Reservations are not
 * modelled: on these boots they all lie in lowmem, and nothing the model prints counts lowmem
 * free pages.
 */
final class Memblock {

    /** A region [base, base + size). */
    private record Region(long base, long size) {
        long end() {
            return base + size;
        }
    }

    private final List<Region> regions = new ArrayList<>();

    /** Models {@code memblock_add()}: the union with [base, base + size), touching regions merged. */
    void add(long base, long size) {
        if (size == 0) {
            return;
        }
        regions.add(new Region(base, size));
        regions.sort(Comparator.comparingLong(Region::base));
        List<Region> merged = new ArrayList<>();
        for (Region r : regions) {
            Region prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && r.base() <= prev.end()) {
                long end = Math.max(prev.end(), r.end());
                merged.set(merged.size() - 1, new Region(prev.base(), end - prev.base()));
            } else {
                merged.add(r);
            }
        }
        regions.clear();
        regions.addAll(merged);
    }

    /** Models {@code memblock_trim_memory(align)}: regions shrink to whole aligned units or vanish. */
    void trimMemory(long align) {
        List<Region> trimmed = new ArrayList<>();
        for (Region r : regions) {
            long start = Math.floorDiv(r.base() + align - 1, align) * align;
            long end = Math.floorDiv(r.end(), align) * align;
            if (start < end) {
                trimmed.add(new Region(start, end - start));
            }
        }
        regions.clear();
        regions.addAll(trimmed);
    }

    /** Models {@code memblock_start_of_DRAM()} (0 with no memory, as regions[0] is then empty). */
    long startOfDram() {
        return regions.isEmpty() ? 0 : regions.get(0).base();
    }

    /** Models {@code for_each_mem_pfn_range()}: each region as whole pages, empty ones skipped. */
    List<PfnRange> pfnRanges() {
        List<PfnRange> out = new ArrayList<>();
        for (Region r : regions) {
            long start = E820Table.pfnUp(r.base());
            long end = r.end() >>> PAGE_SHIFT;
            if (start < end) {
                out.add(new PfnRange(start, end));
            }
        }
        return out;
    }
}
