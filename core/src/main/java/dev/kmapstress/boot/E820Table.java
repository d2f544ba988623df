package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SHIFT;
import static dev.kmapstress.machine.Profile.PAGE_SIZE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The kernel's working e820 table ({@code e820_table}) and the functions of
 * {@code arch/x86/kernel/e820.c} that edit and read it, step for step.
 *
 * <p>Like the kernel's array, the table may hold unsorted, overlapping and emptied (all-zero)
 * entries between an edit and the next {@link #updateTable()}; entries are mutable and
 * identified by reference, as the kernel's sanitizer identifies them by pointer.
 *
 * <p>Addresses are u64 in the kernel; the model's inputs are limited to below 2^44 (pfns fit an
 * i386 {@code unsigned long}), so a Java {@code long} never wraps and {@link #ULLONG_MAX} (the
 * kernel's "to the end of the address space") can be {@link Long#MAX_VALUE}.
 */
final class E820Table {

    /** E820_MAX_ENTRIES: 128 from boot_params plus 3 per NUMA node (one node). */
    static final int E820_MAX_ENTRIES = 128 + 3;
    /** The model's stand-in for ULLONG_MAX (see the class comment). */
    static final long ULLONG_MAX = Long.MAX_VALUE;
    /** MAX_GAP_END: the PCI gap is searched below 4 GB. */
    static final long MAX_GAP_END = 1L << 32;
    /** Where the PCI gap search starts: at least 4 MB. */
    static final long MIN_PCI_GAP = 0x40_0000;
    /** pci_mem_start when no gap is found (32-bit). */
    static final long DEFAULT_PCI_GAP_START = 0x1000_0000;

    /** struct e820_entry. */
    static final class Entry {
        long addr;
        long size;
        long type;

        Entry(long addr, long size, long type) {
            this.addr = addr;
            this.size = size;
            this.type = type;
        }
    }

    /** A sanitizer change point: where an entry starts or ends (struct change_member). */
    private record ChangePoint(long addr, Entry entry) {
        boolean isStart() {
            return addr == entry.addr;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Dmesg dmesg;

    E820Table(Dmesg dmesg) {
        this.dmesg = dmesg;
    }

    /** The entries as regions, in table order (after a sanitize: sorted, disjoint, non-empty). */
    List<E820Region> regions() {
        return entries.stream().map(e -> new E820Region(e.addr, e.size, e.type)).toList();
    }

    /** Models {@code __e820__range_add()}: appends, or refuses when the table is full. */
    void rangeAdd(long start, long size, long type) {
        if (entries.size() >= E820_MAX_ENTRIES) {
            dmesg.printk("too many entries; ignoring %s", Dmesg.mem10(start, start + size - 1));
            return;
        }
        entries.add(new Entry(start, size, type));
    }

    /**
     * Models {@code e820__range_update()}: retypes the parts of {@code oldType} entries inside
     * [start, start + size), splitting entries that stick out.
     */
    void rangeUpdate(long start, long size, long oldType, long newType) {
        long end = start + Math.min(size, ULLONG_MAX - start);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.type != oldType) {
                continue;
            }
            long entryEnd = e.addr + e.size;
            if (e.addr >= start && entryEnd <= end) {
                e.type = newType;
            } else if (e.addr < start && entryEnd > end) {
                rangeAdd(start, end - start, newType);
                rangeAdd(end, entryEnd - end, e.type);
                e.size = start - e.addr;
            } else {
                long[] part = overlapOf(e, start, end);
                if (part != null) {
                    rangeAdd(part[0], part[1] - part[0], newType);
                    cut(e, part);
                }
            }
        }
    }

    /**
     * Models {@code e820__range_remove()}: drops the parts of matching entries inside
     * [start, start + size). A fully covered entry is zeroed in place, as the kernel memsets it.
     */
    void rangeRemove(long start, long size, long oldType, boolean checkType) {
        long end = start + Math.min(size, ULLONG_MAX - start);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (checkType && e.type != oldType) {
                continue;
            }
            long entryEnd = e.addr + e.size;
            if (e.addr >= start && entryEnd <= end) {
                e.addr = 0;
                e.size = 0;
                e.type = 0;
            } else if (e.addr < start && entryEnd > end) {
                rangeAdd(end, entryEnd - end, e.type);
                e.size = start - e.addr;
            } else {
                long[] part = overlapOf(e, start, end);
                if (part != null) {
                    cut(e, part);
                }
            }
        }
    }

    /** The part of {@code e} inside [start, end) as {from, to}, or null if they do not overlap. */
    private static long[] overlapOf(Entry e, long start, long end) {
        long from = Math.max(start, e.addr);
        long to = Math.min(end, e.addr + e.size);
        return from < to ? new long[] {from, to} : null;
    }

    /** Cuts {@code part}, which covers one end of {@code e}, off that end. */
    private static void cut(Entry e, long[] part) {
        e.size -= part[1] - part[0];
        if (e.addr >= part[0]) {
            e.addr = part[1];
        }
    }

    /**
     * Models {@code e820__update_table()}, the sanitizer: rebuilds the table as sorted, disjoint
     * regions; where entries overlap, the highest type wins; touching regions of one type merge
     * (except the no-merge types). Returns -1, changing nothing, for fewer than two entries.
     * (The kernel's other bail-out, an entry whose end wraps past 2^64, cannot occur within the
     * model's address range.)
     */
    int updateTable() {
        if (entries.size() < 2) {
            return -1;
        }
        List<Entry> overlap = new ArrayList<>();
        List<Entry> fresh = new ArrayList<>();
        long lastType = 0;
        long lastAddr = 0;
        for (ChangePoint cp : changePoints()) {
            if (cp.isStart()) {
                overlap.add(cp.entry());
            } else {
                overlap.removeIf(e -> e == cp.entry());
            }
            long currentType = overlap.stream().mapToLong(e -> e.type).max().orElse(0);
            if (currentType == lastType && !E820Type.noMerge(currentType)) {
                continue;
            }
            if (lastType != 0 && cp.addr() != lastAddr) {
                fresh.add(new Entry(lastAddr, cp.addr() - lastAddr, lastType));
                if (fresh.size() >= E820_MAX_ENTRIES) {
                    break;
                }
            }
            if (currentType != 0) {
                lastAddr = cp.addr();
            }
            lastType = currentType;
        }
        entries.clear();
        entries.addAll(fresh);
        return 0;
    }

    /** Every non-empty entry's start and end, sorted by address, starts before ends at a tie. */
    private List<ChangePoint> changePoints() {
        List<ChangePoint> points = new ArrayList<>();
        for (Entry e : entries) {
            if (e.size != 0) {
                points.add(new ChangePoint(e.addr, e));
                points.add(new ChangePoint(e.addr + e.size, e));
            }
        }
        points.sort(Comparator.comparingLong(ChangePoint::addr)
                .thenComparing(cp -> !cp.isStart()));
        return points;
    }

    /** Models {@code e820__print_table(who)}. */
    void printTable(String who) {
        for (E820Region r : regions()) {
            dmesg.printk("%s", r.format(who));
        }
    }

    /**
     * Models {@code e820__end_of_ram_pfn()} ({@code e820_end_pfn(MAX_ARCH_PFN, RAM)}): the pfn
     * after the last RAM page, capped at max_arch_pfn; prints {@code last_pfn = …}.
     */
    long endOfRamPfn(long maxArchPfn) {
        long lastPfn = 0;
        for (Entry e : entries) {
            if (e.type != E820Type.RAM) {
                continue;
            }
            long startPfn = e.addr >>> PAGE_SHIFT;
            long endPfn = (e.addr + e.size) >>> PAGE_SHIFT;
            if (startPfn >= maxArchPfn) {
                continue;
            }
            if (endPfn > maxArchPfn) {
                lastPfn = maxArchPfn;
                break;
            }
            lastPfn = Math.max(lastPfn, endPfn);
        }
        lastPfn = Math.min(lastPfn, maxArchPfn);
        dmesg.printk("last_pfn = %s max_arch_pfn = %s", Dmesg.hex(lastPfn), Dmesg.hex(maxArchPfn));
        return lastPfn;
    }

    /**
     * Models {@code e820__memblock_setup()}: RAM entries go to memblock.memory, partial pages are
     * trimmed. Without 64-bit phys_addr_t an entry ending at or above 4 GB is skipped whole.
     * (Soft-reserved entries are also reserved in memblock; they are not memory, so nothing here
     * depends on it.)
     */
    void memblockSetup(Memblock memblock, boolean physAddr64) {
        for (Entry e : entries) {
            long end = e.addr + e.size;
            if (!physAddr64 && end > 0xffff_ffffL) {
                continue;
            }
            if (e.type == E820Type.RAM || e.type == E820Type.RESERVED_KERN) {
                memblock.add(e.addr, e.size);
            }
        }
        memblock.trimMemory(PAGE_SIZE);
    }

    /**
     * Models {@code e820__register_nosave_regions(limit_pfn)}: every hole between RAM entries,
     * and everything from the last RAM to limit_pfn, is registered for hibernation.
     */
    void registerNosaveRegions(long limitPfn) {
        long lastAddr = 0;
        for (Entry e : entries) {
            if (e.type != E820Type.RAM && e.type != E820Type.RESERVED_KERN) {
                continue;
            }
            if (lastAddr < e.addr) {
                registerNosaveRegion(lastAddr >>> PAGE_SHIFT, pfnUp(e.addr));
            }
            lastAddr = e.addr + e.size;
        }
        registerNosaveRegion(lastAddr >>> PAGE_SHIFT, limitPfn);
    }

    /** Models {@code register_nosave_region()}'s report (merging with the previous one prints the same). */
    private void registerNosaveRegion(long startPfn, long endPfn) {
        if (startPfn < endPfn) {
            dmesg.printk("PM: hibernation: Registered nosave memory: %s",
                    Dmesg.mem10(startPfn << PAGE_SHIFT, (endPfn << PAGE_SHIFT) - 1));
        }
    }

    /**
     * Models {@code e820__setup_pci_gap()} with {@code e820_search_gap()}: the biggest gap of at
     * least 4 MB below 4 GB, scanning from the top (a lower gap of equal size wins); 256 MB if
     * none. Returns {start, size}.
     */
    long[] setupPciGap() {
        long gapStart = 0;
        long gapSize = MIN_PCI_GAP;
        boolean found = false;
        long last = MAX_GAP_END;
        for (int i = entries.size() - 1; i >= 0; i--) {
            long start = entries.get(i).addr;
            long end = start + entries.get(i).size;
            if (last > end) {
                long gap = I386.ul(last - end);
                if (gap >= gapSize) {
                    gapSize = gap;
                    gapStart = end;
                    found = true;
                }
            }
            last = Math.min(last, start);
        }
        if (!found) {
            gapStart = DEFAULT_PCI_GAP_START;
        }
        dmesg.printk("%s available for PCI devices",
                Dmesg.mem10(gapStart, I386.ul(gapStart + gapSize - 1)));
        return new long[] {gapStart, gapSize};
    }

    /** PFN_UP of a physical address. */
    static long pfnUp(long addr) {
        return (addr + PAGE_SIZE - 1) >>> PAGE_SHIFT;
    }
}
