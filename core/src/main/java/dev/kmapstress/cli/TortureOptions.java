package dev.kmapstress.cli;

import dev.kmapstress.boot.Boot;
import dev.kmapstress.boot.BootMachine;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.settings.Setting;
import dev.kmapstress.torture.BootSizing;
import dev.kmapstress.torture.TortureConfig;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code torture} and {@code compare} share beyond the settings (which
 * {@link SettingOptions} makes into options): sizing the machine from a boot, and plain
 * output. {@link #build} turns the command's options into a configuration, so every refusal
 * is one line naming the option, the value and what is allowed (exit 2), never a usage dump.
 */
final class TortureOptions {

    @Option(names = "--boot", paramLabel = "FILE",
            description = "Size the machine from a boot: a kernel boot log, or an e820 map booted as --profile;"
                    + " its profile, lowmem and highmem pages (at most " + BootSizing.HIGHMEM_CAP
                    + ") and the profile's real PKMAP window.")
    String boot;

    @Option(names = "--quiet", description = "Plain lines, no progress bar (also when output is not a terminal).")
    boolean quiet;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * The configuration of the command's options, {@code vary} applied before it is checked
     * (compare sets each run's lock, wait strategy, workload and CPUs there).
     *
     * @param varied settings whose options {@code vary} handles itself (compare's lists), not taken as given
     * @throws IllegalArgumentException naming the option as the user typed it
     */
    TortureConfig build(Set<Setting<?>> varied, UnaryOperator<TortureConfig.Builder> vary) {
        try {
            Profile p = MachineConfig.PROFILE.parse(SettingOptions.text(spec, MachineConfig.PROFILE));
            TortureConfig.Builder b = TortureConfig.builder(p);
            if (boot != null) {
                BootMachine sized = BootSizing.machine(boot, InputFiles.read("--boot", boot), p);
                Profile booted = sized.builder().profile();
                // --profile has a default: only one the user typed can disagree with the log's own.
                if (booted != p && spec.commandLine().getParseResult()
                        .hasMatchedOption(MachineConfig.PROFILE.option())) {
                    throw Boot.otherProfile(p.id(), boot, booted.id());
                }
                b.boot(boot, sized);
            }
            for (Map.Entry<Setting<?>, String> e : SettingOptions.given(spec)) {
                if (e.getKey() != MachineConfig.PROFILE && !varied.contains(e.getKey())) {
                    b.set(e.getKey().key(), e.getValue());
                }
            }
            for (String setting : SettingOptions.sets(spec)) {
                set(b, setting);
            }
            return vary.apply(b).build();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.asOption(), e);
        }
    }

    /**
     * Applies one {@code --set KEY=VALUE}: a machine setting no option of this command gives (one
     * that an option gives is refused, naming the option, so a value is never given twice, nor
     * silently replaced by the option's).
     */
    private void set(TortureConfig.Builder b, String setting) {
        String[] kv = MachineSettings.keyValue(setting);
        for (Setting<?> s : TortureConfig.SETTINGS) {
            String option = SettingOptions.optionFor(s, spec.name());
            if (s.key().equals(kv[0]) && option != null) {
                throw new IllegalArgumentException("--set " + setting + ": " + kv[0] + (option.equals(s.option())
                        ? " has an option of its own here" : " is set by " + option + " here") + "; use " + option);
            }
        }
        try {
            b.set(kv[0], kv[1]);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--set " + e.key() + "=" + e.value() + ": " + e.reason(), e);
        }
    }
}
