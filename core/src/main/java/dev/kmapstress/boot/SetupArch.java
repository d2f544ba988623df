package dev.kmapstress.boot;

import static dev.kmapstress.machine.Profile.PAGE_SIZE;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The memory part of {@code setup_arch()} ({@code arch/x86/kernel/setup.c}) and of
 * {@code start_kernel()} up to the {@code Memory:} line, in the kernel's order, with the
 * early-parameter handling of {@code init/main.c}.
 *
 * <p>Steps the model leaves out because they change nothing it prints on a plain BIOS boot:
 * setup_data and EFI maps, the PPro RAM bug, MTRR trimming (QEMU has MTRRs disabled), memblock
 * reservations. {@code e820_add_kernel_range()} (re-adding RAM under the kernel image) is not
 * modelled: a note says when the map leaves the image's area (16..64 MB) without RAM.
 */
final class SetupArch {

    /** BIOS_BEGIN..BIOS_END: the legacy 640 KB..1 MB hole the kernel never treats as RAM. */
    static final long BIOS_BEGIN = 0xa_0000;
    static final long BIOS_END = 0x10_0000;
    /** boot_params holds at most this many e820 entries (E820_MAX_ENTRIES_ZEROPAGE). */
    static final int E820_MAX_ENTRIES_ZEROPAGE = 128;
    /** Where Debian's i386 kernels load (CONFIG_PHYSICAL_START) and how far the early map reaches. */
    static final long KERNEL_AREA_START = 16L << 20;
    static final long KERNEL_AREA_END = 64L << 20;
    /** Early parameters the kernel acts on that the model does not. */
    static final Set<String> UNMODELLED = Set.of("memmap", "reservetop", "kernelcore",
            "movablecore", "movable_node", "debug", "ignore_loglevel", "loglevel", "quiet");

    private SetupArch() {
    }

    /** Models {@code setup_arch()}'s memory steps, from the firmware map to the PCI gap. */
    static BootState setupArch(BootProfile profile, List<E820Region> firmwareMap, String cmdline) {
        BootState k = new BootState(profile, cmdline);
        e820MemorySetup(k, firmwareMap);
        parseEarlyParam(k);
        noteVmallocWrap(k);
        e820FinishEarlyParams(k);
        trimBiosRange(k);
        k.maxPfn = k.e820.endOfRamPfn(profile.maxArchPfn());
        Init32.findLowPfnRange(k);
        k.e820.memblockSetup(k.memblock, profile.physAddr64());
        requireRam(k);
        Init32.initMemMapping(k);
        Init32.initmemInit(k);
        Init32.zoneSizesInit(k);
        k.e820.registerNosaveRegions(k.maxPfn);
        long[] gap = k.e820.setupPciGap();
        k.pciGapStart = gap[0];
        k.pciGapSize = gap[1];
        noteKernelArea(k);
        return k;
    }

    /**
     * Models {@code e820__memory_setup()} with {@code e820__memory_setup_default()}: the
     * firmware map, sanitized, printed as the BIOS-provided map.
     *
     * @throws BootInputException for a map the kernel would not take from boot_params
     */
    static void e820MemorySetup(BootState k, List<E820Region> firmwareMap) {
        if (firmwareMap.size() < 2) {
            throw new BootInputException("e820 map: " + firmwareMap.size() + " region(s); expected at"
                    + " least 2 (the kernel ignores a shorter map and asks the BIOS (e801), which is"
                    + " not modelled)");
        }
        if (firmwareMap.size() > E820_MAX_ENTRIES_ZEROPAGE) {
            throw new BootInputException("e820 map: " + firmwareMap.size() + " regions; expected at"
                    + " most " + E820_MAX_ENTRIES_ZEROPAGE + " (boot_params; setup_data extensions"
                    + " are not modelled)");
        }
        for (E820Region r : firmwareMap) {
            k.e820.rangeAdd(r.addr(), r.size(), r.type());
        }
        k.e820.updateTable();
        k.biosMap = k.e820.regions();
        k.dmesg.printk("BIOS-provided physical RAM map:");
        k.e820.printTable("BIOS-e820");
    }

    /** Models {@code parse_early_param()}: each word of the command line to its early handler. */
    static void parseEarlyParam(BootState k) {
        for (KernelCmdline.Param p : KernelCmdline.earlyParams(k.cmdline)) {
            doEarlyParam(k, p);
        }
    }

    /** Models {@code do_early_param()}: a handler that refuses its value gets a warning. */
    private static void doEarlyParam(BootState k, KernelCmdline.Param p) {
        int ret = switch (p.name()) {
            case "mem" -> parseMemopt(k, p.value());
            case "highmem" -> Init32.parseHighmem(k, p.value());
            case "vmalloc" -> Init32.parseVmalloc(k, p.value());
            default -> 0;
        };
        if (ret != 0) {
            k.dmesg.printk("Malformed early option '%s'", p.name());
        }
        if (UNMODELLED.contains(p.name())) {
            k.notes.add("parameter '" + p.name() + "' is not modelled; the kernel's lines may differ");
        }
    }

    /**
     * Models {@code parse_memopt()}: {@code mem=SIZE} drops all RAM at and above SIZE (and marks
     * the map user-defined even if SIZE then reads as 0, which is refused). {@code mem=nopentium}
     * only turns off 4 MB pages, which changes nothing modelled.
     */
    static int parseMemopt(BootState k, String arg) {
        if (arg == null) {
            return -Init32.EINVAL;
        }
        if (arg.equals("nopentium")) {
            return 0;
        }
        k.userdef = true;
        long memSize = KernelCmdline.size("mem", arg).value();
        if (memSize == 0) {
            return -Init32.EINVAL;
        }
        // A u64 beyond the model's address range removes nothing, as in the kernel.
        long start = Long.compareUnsigned(memSize, E820Table.ULLONG_MAX) > 0 ? E820Table.ULLONG_MAX
                : memSize;
        k.e820.rangeRemove(start, E820Table.ULLONG_MAX - start, E820Type.RAM, true);
        return 0;
    }

    /**
     * Models {@code e820__finish_early_params()}: a map mem= touched is sanitized and printed as
     * user-defined. (Its "Invalid user supplied memory map" panic needs a map of fewer than two
     * entries, which {@link #e820MemorySetup} already refuses.)
     */
    static void e820FinishEarlyParams(BootState k) {
        if (k.userdef) {
            k.e820.updateTable();
            k.dmesg.printk("user-defined physical RAM map:");
            k.e820.printTable("user");
        }
    }

    /** Models {@code trim_bios_range()}: page 0 becomes reserved, 640 KB..1 MB stops being RAM. */
    static void trimBiosRange(BootState k) {
        k.e820.rangeUpdate(0, PAGE_SIZE, E820Type.RAM, E820Type.RESERVED);
        k.e820.rangeRemove(BIOS_BEGIN, BIOS_END - BIOS_BEGIN, E820Type.RAM, true);
        k.e820.updateTable();
    }

    /** A boot with no RAM left cannot go on; the model refuses it rather than guess. */
    private static void requireRam(BootState k) {
        if (k.maxPfn == 0 || k.memblock.pfnRanges().isEmpty()) {
            throw new BootInputException("e820 map" + (k.userdef ? " after mem=" : "")
                    + ": no usable RAM left below max_arch_pfn; the kernel cannot boot (not modelled)");
        }
    }

    /** A vmalloc= whose reserve wraps the 32-bit arithmetic gives a MAXMEM no kernel survives. */
    private static void noteVmallocWrap(BootState k) {
        long room = k.profile.vmallocEnd() - k.profile.pageOffset();
        if (k.vmallocReserve < BootProfile.VMALLOC_OFFSET || k.vmallocReserve > room) {
            k.notes.add(String.format(Locale.ROOT, "__VMALLOC_RESERVE 0x%x wrapped the"
                    + " i386 arithmetic (MAXMEM 0x%x): the kernel would map RAM over its own areas or"
                    + " BUG in mem_init(); the lines above are what it prints before that",
                    k.vmallocReserve, Init32.maxmem(k)));
        }
    }

    private static void noteKernelArea(BootState k) {
        boolean covered = k.e820.regions().stream().anyMatch(r -> r.type() == E820Type.RAM
                && r.addr() <= KERNEL_AREA_START && r.addr() + r.size() >= KERNEL_AREA_END);
        if (!covered) {
            k.notes.add("RAM does not cover 16..64 MB, where the kernel image and its early page"
                    + " tables sit; the kernel would re-add it (e820_add_kernel_range) and map more"
                    + " early, neither modelled: the lines above may differ");
        }
    }
}
