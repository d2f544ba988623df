package dev.kmapstress.cli;

import dev.kmapstress.kernel.Machine;
import dev.kmapstress.machine.Layout;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.settings.ConfigException;
import java.util.List;

/** Builds a {@link MachineConfig} from a profile name and {@code KEY=VALUE} overrides. */
final class MachineSettings {

    private MachineSettings() {
    }

    /**
     * Parses the {@code --profile} option and {@code --set} values; every refusal is an
     * IllegalArgumentException naming the value as it was given.
     */
    static MachineConfig parse(String profile, List<String> settings) {
        MachineConfig.Builder b;
        try {
            b = MachineConfig.builder(MachineConfig.PROFILE.parse(profile));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.asOption(), e);
        }
        for (String s : settings) {
            String[] kv = keyValue(s);
            b.set(kv[0], kv[1]);
        }
        return b.build();
    }

    /** {@code KEY=VALUE} split at its first '='; refused if it has no key. */
    static String[] keyValue(String setting) {
        int eq = setting.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("setting '" + setting + "' is not KEY=VALUE; keys: "
                    + MachineConfig.KEYS);
        }
        return new String[] {setting.substring(0, eq), setting.substring(eq + 1)};
    }

    /** The layout of a machine of that configuration. */
    static Layout layout(MachineConfig config) {
        return Machine.build(config).layout();
    }
}
