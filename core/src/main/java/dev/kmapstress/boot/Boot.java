package dev.kmapstress.boot;

import java.util.List;
import java.util.Optional;

/**
 * The boot model's entry points: from an e820 map (or a logged boot) and a kernel command line
 * to what a 32-bit x86 Linux 6.1 kernel decides about lowmem and highmem.
 *
 * <pre>{@code
 * BootResult r = Boot.fromE820Text(BootProfile.X86_PAE, Files.readString(e820File), "mem=1536M");
 * BootResult logged = Boot.fromLog(Files.readString(bootLog));   // profile from its max_arch_pfn
 * }</pre>
 *
 * Bad input throws {@link BootInputException} (one line naming the input); what the kernel
 * itself refuses (a highmem= too large, say) is in the result's lines, as the kernel prints it.
 */
public final class Boot {

    private Boot() {
    }

    /** Boots {@code profile} on {@code firmwareMap} with {@code cmdline}. */
    public static BootResult run(BootProfile profile, List<E820Region> firmwareMap, String cmdline) {
        BootState k = SetupArch.setupArch(profile, firmwareMap, cmdline);
        startKernelAfterSetupArch(k);
        return new BootResult(k);
    }

    /** Boots an e820 map written as the kernel logs it (see {@link BootInput#parseE820}). */
    public static BootResult fromE820Text(BootProfile profile, String e820Text, String cmdline) {
        return run(profile, BootInput.parseE820(e820Text), cmdline);
    }

    /** Boots the map and command line a kernel log shows, as {@code profile}. */
    public static BootResult fromLog(BootProfile profile, String logText) {
        BootInput.BootLog log = BootInput.parseLog(logText);
        return run(profile, log.e820(), log.cmdline());
    }

    /**
     * Boots the map and command line a kernel log shows, as the profile its
     * {@code max_arch_pfn} names.
     *
     * @throws BootInputException if the log has no {@code last_pfn = …} line naming a profile
     */
    public static BootResult fromLog(String logText) {
        BootInput.BootLog log = BootInput.parseLog(logText);
        BootProfile profile = log.profile().orElseThrow(() -> new BootInputException(
                "boot log: no 'last_pfn = … max_arch_pfn = …' line naming x86-pae (0x1000000) or"
                        + " x86-4g (0x100000); expected one, or give the profile"));
        return run(profile, log.e820(), log.cmdline());
    }

    /**
     * Boots what a file holds: a whole kernel log (recognised by its {@code Kernel command line:}
     * line) as the profile its {@code max_arch_pfn} names, else {@code profile}, with its own
     * command line unless {@code cmdline} is given; or a bare e820 map as {@code profile} with
     * {@code cmdline} (empty if not given).
     */
    public static BootResult fromText(BootProfile profile, String text, Optional<String> cmdline) {
        if (!isLog(text)) {
            return fromE820Text(profile, text, cmdline.orElse(""));
        }
        BootInput.BootLog log = BootInput.parseLog(text);
        return run(log.profile().orElse(profile), log.e820(), cmdline.orElse(log.cmdline()));
    }

    /**
     * The refusal of a profile given for the boot log {@code file} of another kernel: a log's
     * own profile (its max_arch_pfn line) is the one it boots as.
     */
    public static IllegalArgumentException otherProfile(String given, String file, String logged) {
        return new IllegalArgumentException("--profile " + given + ": the log " + file + " is of an " + logged
                + " kernel; leave --profile out or give " + logged);
    }

    /** Whether {@code text} is a kernel log rather than a bare e820 map. */
    public static boolean isLog(String text) {
        return text.contains(BootInput.CMDLINE.strip());
    }

    /**
     * Models what {@code start_kernel()} prints after {@code setup_arch()} that the model
     * covers: the command line, then {@code mem_init()}'s highmem zones and Memory: line.
     */
    private static void startKernelAfterSetupArch(BootState k) {
        k.dmesg.printk("Kernel command line: %s", k.cmdline);
        Init32.setHighmemPagesInit(k);
        k.zones.memInitPrintInfo();
    }
}
