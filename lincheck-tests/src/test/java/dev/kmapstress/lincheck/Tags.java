package dev.kmapstress.lincheck;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;

/**
 * Page identity in memory: word 0 of every page holds the page's pfn, written physically
 * before any thread starts, so a read through a mapping says which page the mapping really
 * reaches.
 */
final class Tags {

    private Tags() {
    }

    /** Writes each page's pfn into its word 0, bypassing every mapping. */
    static void write(Machine machine) {
        for (int k = 0; k < machine.highPageCount(); k++) {
            Page p = machine.highPage(k);
            p.payload()[0] = (int) p.pfn();
        }
        for (int k = 0; k < machine.lowPageCount(); k++) {
            Page p = machine.lowPage(k);
            p.payload()[0] = (int) p.pfn();
        }
    }

    /** Reads word 0 through {@code vaddr} as {@code cpu} and names the page it belongs to. */
    static String read(Machine machine, Cpu cpu, long vaddr) {
        int tag = machine.mmu().read(cpu, vaddr, 0);
        Page p = machine.pfnToPage(tag);
        return p == null ? "garbage " + tag : p.name();
    }
}
