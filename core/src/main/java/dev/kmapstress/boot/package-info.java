/**
 * The boot model: from an e820 map (or a whole boot log) and a kernel command line to what a
 * 32-bit x86 Linux 6.1 kernel prints and decides about lowmem and highmem (setup_arch, memblock,
 * find_low_pfn_range, free_area_init), and the machine size it implies.
 *
 * <p>Owns: the boot-time arithmetic and its log lines. Uses: the machine base (profiles,
 * configuration), log.
 */
package dev.kmapstress.boot;
