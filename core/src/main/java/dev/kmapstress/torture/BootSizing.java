package dev.kmapstress.torture;

import dev.kmapstress.boot.Boot;
import dev.kmapstress.boot.BootInput;
import dev.kmapstress.boot.BootMachine;
import dev.kmapstress.boot.BootProfile;
import dev.kmapstress.boot.BootResult;
import dev.kmapstress.machine.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
     * @param profile the profile a bare e820 map boots as (a log names its own)
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static BootMachine machine(Path file, Profile profile) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--boot " + file + ": cannot read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        try {
            BootResult r;
            if (text.contains("Kernel command line:")) {
                BootInput.BootLog log = BootInput.parseLog(text);
                r = Boot.run(log.profile().orElseGet(() -> BootProfile.parse(profile.id())), log.e820(), log.cmdline());
            } else {
                r = Boot.fromE820Text(BootProfile.parse(profile.id()), text, "");
            }
            return r.toMachineConfig(HIGHMEM_CAP);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--boot " + file + ": " + e.getMessage(), e);
        }
    }

    /** The notes of a sized machine, one line. */
    static String notes(List<String> notes) {
        return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
    }
}
