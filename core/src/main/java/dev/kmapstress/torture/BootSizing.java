package dev.kmapstress.torture;

import dev.kmapstress.boot.Boot;
import dev.kmapstress.boot.BootMachine;
import dev.kmapstress.boot.BootProfile;
import dev.kmapstress.machine.Profile;
import java.util.List;
import java.util.Optional;

/**
 * Sizes a torture machine from a boot ({@code --boot FILE}): a kernel boot log (its BIOS-e820
 * lines and command line, the profile from its {@code max_arch_pfn}) or a bare e820 map (booted
 * as the given profile with an empty command line), run through the boot model. The machine
 * gets the boot's lowmem and highmem page counts, highmem capped at {@value #HIGHMEM_CAP} pages
 * so a torture run's bookkeeping stays within a default heap (a note says so when it bites).
 */
public final class BootSizing {

    /** Most highmem pages a boot-sized torture machine models: 1 GiB of 4 KiB pages. */
    public static final int HIGHMEM_CAP = 1 << 18;

    private BootSizing() {
    }

    /**
     * The machine a boot sizes.
     *
     * @param file    the file's name, for messages
     * @param text    what the file holds
     * @param profile the profile a bare e820 map boots as (a log names its own)
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static BootMachine machine(String file, String text, Profile profile) {
        try {
            return Boot.fromText(BootProfile.parse(profile.id()), text, Optional.empty()).toMachineConfig(HIGHMEM_CAP);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--boot " + file + ": " + e.getMessage(), e);
        }
    }

    /** The notes of a sized machine, one line. */
    static String notes(List<String> notes) {
        return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
    }
}
