package dev.kmapstress.boot;

import dev.kmapstress.machine.MachineConfig;
import java.util.List;

/**
 * A machine configuration sized from a boot: a builder preset with the boot's profile and page
 * counts (set CPUs, lock, faults on it and build), the counts it chose, and notes saying where
 * a count was scaled down because the real one would not fit.
 *
 * @param builder preset with profile, lowmem-pages and highmem-pages
 * @param lowmemPages the lowmem pages chosen
 * @param highmemPages the highmem pages chosen
 * @param notes one line per scaled count; empty if the boot fits as it is
 */
public record BootMachine(MachineConfig.Builder builder, int lowmemPages, int highmemPages,
        List<String> notes) {

    public BootMachine {
        notes = List.copyOf(notes);
    }

    /** Whether any count was scaled down. */
    public boolean scaled() {
        return !notes.isEmpty();
    }
}
