package dev.kmapstress.cli;

import dev.kmapstress.boot.Boot;
import dev.kmapstress.boot.BootJson;
import dev.kmapstress.boot.BootProfile;
import dev.kmapstress.boot.BootResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        description = "Models an i386 kernel's boot from an e820 map and command line to the"
                + " lowmem/highmem split, printing the kernel's own lines.")
final class BootCommand implements Runnable {

    @Option(names = "--profile", required = true, description = "x86-pae or x86-4g.")
    String profile;

    @Option(names = "--e820", required = true, paramLabel = "FILE|-",
            description = "The e820 map as the kernel logs it, one region a line"
                    + " ('BIOS-e820: [mem 0x...-0x...] usable'); - reads stdin.")
    String e820;

    @Option(names = "--cmdline", defaultValue = "",
            description = "Kernel command line (mem=, highmem=, vmalloc= are modelled).")
    String cmdline;

    @Option(names = "--json", description = "Print the facts as JSON instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        BootProfile p = BootProfile.parse(profile);
        BootResult result = Boot.fromE820Text(p, readE820(), cmdline);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(BootJson.write(result));
        } else {
            result.text().forEach(out::println);
        }
        out.flush();
    }

    private String readE820() {
        try {
            return e820.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(e820));
        } catch (IOException e) {
            throw new IllegalArgumentException("--e820 " + e820 + ": cannot read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
