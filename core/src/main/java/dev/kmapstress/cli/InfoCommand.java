package dev.kmapstress.cli;

import dev.kmapstress.boot.BootProfile;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kmap-stress info}: the layout of a profile, one {@code NAME VALUE} per line under the
 * kernel's macro names (hex for addresses, decimal for counts), then the machine's settings.
 * VMALLOC_START depends on the RAM: it is given for a machine that has highmem (lowmem is then
 * MAXMEM, with the default {@code vmalloc=} reserve), on the x86 layouts; {@code boot} gives it
 * for any RAM.
 */
@Command(name = "info", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = "Prints the machine layout of a profile (kernel macro names, one per line).")
final class InfoCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        String profile = SettingOptions.text(spec, MachineConfig.PROFILE);
        // --profile has a default: only one the user typed competes with a --set profile=.
        if (spec.commandLine().getParseResult().hasMatchedOption(MachineConfig.PROFILE.option())) {
            for (String set : SettingOptions.sets(spec)) {
                if (set.startsWith(MachineConfig.PROFILE.key() + "=")) {
                    throw new IllegalArgumentException(SettingOptions.SET + " " + set + " with "
                            + MachineConfig.PROFILE.option() + " " + profile + ": give the profile once");
                }
            }
        }
        MachineConfig config = MachineSettings.parse(profile, SettingOptions.sets(spec));
        PrintWriter out = spec.commandLine().getOut();
        Profile p = config.profile();
        Layout l = MachineSettings.layout(config);
        hex(out, "PAGE_SIZE", Profile.PAGE_SIZE);
        hex(out, "PAGE_OFFSET", l.pageOffset());
        hex(out, "PKMAP_BASE", l.pkmapBase());
        dec(out, "LAST_PKMAP", l.lastPkmap());
        dec(out, "PKMAP_COLOURS", config.colours());
        hex(out, "FIXADDR_START", p.fixaddrStart());
        hex(out, "FIXADDR_TOP", l.fixaddrTop());
        dec(out, "FIX_KMAP_BEGIN", l.fixKmapBegin());
        dec(out, "FIX_KMAP_END", l.fixKmapEnd());
        dec(out, "KM_MAX_IDX", l.kmMaxIdx());
        if (p != Profile.ARM_LIKE) {
            // high_memory = PAGE_OFFSET + MAXMEM = VMALLOC_END - __VMALLOC_RESERVE.
            hex(out, "VMALLOC_START", l.vmallocEnd() - BootProfile.DEFAULT_VMALLOC_RESERVE
                    + BootProfile.VMALLOC_OFFSET);
        }
        hex(out, "VMALLOC_END", l.vmallocEnd());
        dec(out, "NR_CPUS", p.nrCpus());
        out.println("# kmap-stress machine (" + p.description() + ")");
        dec(out, "cpus", config.cpus());
        dec(out, "highmem-pages", config.highmemPages());
        dec(out, "lowmem-pages", config.lowmemPages());
        out.println("lock " + config.lock());
        out.println("wait-strategy " + config.waitStrategy());
        out.println("kmap_high_get " + (p.kmapHighGet() ? "yes" : "no"));
        out.println("tlb-shootdown " + (p.hardwareTlbBroadcast() ? "hardware-broadcast" : "ipi"));
        out.println("faults " + (config.faults().isEmpty() ? "none" : config.faults()));
        out.println("debug-kmap-local " + (config.debugKmapLocal()
                ? "yes (KM_INCR 2: odd entries mapped, even entries unmapped guard pages)" : "no"));
        out.println("force-map " + (config.forceMap() ? "yes" : "no"));
        for (int cpu = 0; cpu < config.cpus(); cpu++) {
            int first = l.fixKmapBegin() + l.kmMaxIdx() * cpu;
            out.printf("kmap_local cpu%d FIX_KMAP %d..%d 0x%08x..0x%08x%n", cpu, first,
                    first + l.kmMaxIdx() - 1, l.fixToVirt(first), l.fixToVirt(first + l.kmMaxIdx() - 1));
        }
        out.flush();
    }

    private static void hex(PrintWriter out, String name, long value) {
        out.printf("%s 0x%08x%n", name, value);
    }

    private static void dec(PrintWriter out, String name, long value) {
        out.printf("%s %d%n", name, value);
    }
}
