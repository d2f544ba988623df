package dev.kmapstress.cli;

import dev.kmapstress.boot.Boot;
import dev.kmapstress.boot.BootInput;
import dev.kmapstress.boot.BootJson;
import dev.kmapstress.boot.BootProfile;
import dev.kmapstress.boot.BootResult;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmap-stress boot}: what a 32-bit x86 Linux 6.1 kernel prints and decides about lowmem
 * and highmem for an e820 map and a command line, line for line as its log shows it, then a
 * separated kmap-stress section with the layout and the machine size it implies. Bad input is
 * one line on stderr and exit 2, with nothing on stdout.
 */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Models an i386 kernel's boot from an e820 map (or a whole boot log) and command line to"
                + " the lowmem/highmem split, printing the kernel's own lines.")
final class BootCommand implements Runnable {

    @Option(names = "--profile", paramLabel = "NAME",
            description = "x86-pae or x86-4g; required for a bare e820 map (a boot log names its own).")
    String profile;

    @Option(names = {"--e820", "--log"}, required = true, paramLabel = "FILE|-",
            description = "The e820 map as the kernel logs it, one region a line"
                    + " ('BIOS-e820: [mem 0x...-0x...] usable'), or a whole boot log (its BIOS-e820 lines,"
                    + " command line and profile are used, as torture --boot does); - reads stdin.")
    String e820;

    @Option(names = "--cmdline", paramLabel = "TEXT",
            description = "Kernel command line (mem=, highmem=, vmalloc= are modelled; default: the log's, or"
                    + " none).")
    String cmdline;

    @Option(names = "--json", description = "Print the facts as JSON instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        String text = InputFiles.read("--e820", e820);
        BootResult result = Boot.fromText(bootProfile(text), text, Optional.ofNullable(cmdline));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(BootJson.write(result));
        } else {
            result.text().forEach(out::println);
        }
        out.flush();
    }

    /** The profile given, which must agree with a log's own; or the log's; a bare map needs one. */
    private BootProfile bootProfile(String text) {
        Optional<BootProfile> logged = Boot.isLog(text) ? BootInput.parseLog(text).profile() : Optional.empty();
        if (profile == null) {
            return logged.orElseThrow(() -> new IllegalArgumentException("--profile: required for "
                    + (Boot.isLog(text) ? "a boot log without a max_arch_pfn line" : "a bare e820 map")
                    + "; allowed: x86-pae, x86-4g"));
        }
        BootProfile given = BootProfile.parse(profile);
        if (logged.isPresent() && logged.get() != given) {
            throw Boot.otherProfile(profile, e820, logged.get().id());
        }
        return given;
    }
}
