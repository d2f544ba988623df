package dev.kmapstress.cli;

import dev.kmapstress.compare.CompareSettings;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.settings.Setting;
import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.TortureConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Makes the options of a command from the settings tables: every setting whose declaration
 * names the command becomes {@code --KEY} with its label, help, unit and default
 * ({@link TortureConfig#SETTINGS}, and compare's own {@link CompareSettings#SETTINGS}); a
 * setting whose value is a collection (faults, compare's lock lists) is repeatable. Every command that builds a machine also gets
 * {@code --set KEY=VALUE}: for every machine setting ({@code info}, {@code run}), or for those
 * without an option of their own ({@code torture}, {@code compare}: lockdep, lock-statistics, ...). Values stay text
 * until the setting parses them, so every refusal is the setting's own one line.
 */
public final class SettingOptions implements CommandLine.IModelTransformer {

    /** The option of machine settings that have no option of their own. */
    static final String SET = "--set";

    /** Every setting some command takes: a run's, then a comparison's own. */
    private static final List<Setting<?>> SETTINGS = Stream.concat(TortureConfig.SETTINGS.stream(),
            CompareSettings.SETTINGS.stream()).toList();

    @Override
    public CommandSpec transform(CommandSpec spec) {
        String command = spec.name();
        for (Setting<?> s : SETTINGS) {
            if (s.optionOf(command)) {
                spec.addOption(option(s, command));
            }
        }
        if (command.equals("info") || command.equals("run")) {
            spec.addOption(set("Machine setting, repeatable (e.g. fault=NO_TLB_FLUSH); the keys:",
                    MachineConfig.SETTINGS, s -> s.defaultText(command)));
        } else if (command.equals("torture") || command.equals("compare")) {
            List<Setting<?>> onlySet = MachineConfig.SETTINGS.stream().filter(s -> optionFor(s, command) == null)
                    .toList();
            spec.addOption(set("Machine setting that has no option of its own here, repeatable (e.g."
                    + " lockdep=true, lock-statistics=true); the keys:", onlySet,
                    s -> TortureConfig.defaultText(s, command)));
        }
        if (spec.options().stream().anyMatch(o -> Durations.LABEL.equals(o.paramLabel()))) {
            spec.usageMessage().footer(Durations.LABEL + ": " + Durations.HELP + ".");
        }
        return spec;
    }

    /**
     * The option of torture or compare that gives setting {@code s}, null for a machine setting
     * only {@code --set} gives: its own option, {@code --watchdog} for the detectors' timeouts
     * ({@link TortureConfig#FROM_WATCHDOG}), compare's lists for what they sweep.
     */
    static String optionFor(Setting<?> s, String command) {
        if (s.optionOf(command) || !MachineConfig.SETTINGS.contains(s)) {
            return s.option();
        }
        if (TortureConfig.FROM_WATCHDOG.contains(s)) {
            return TortureConfig.WATCHDOG.option();
        }
        Setting<?> sweep = command.equals("compare") ? CompareSettings.SWEPT.get(s) : null;
        return sweep == null ? null : sweep.option();
    }

    /** {@code --set}: {@code intro}, then a line per key it takes, with the key's help and default. */
    private static OptionSpec set(String intro, List<Setting<?>> keys, Function<Setting<?>, String> byDefault) {
        List<String> lines = new ArrayList<>(List.of(literal(intro)));
        for (Setting<?> s : keys) {
            lines.add(literal("  " + s.key() + "=" + s.type().label() + ": " + s.help()
                    + (s.unit().isEmpty() ? "" : " (" + s.unit() + ")") + " (default: "
                    + byDefault.apply(s) + ")"));
        }
        return OptionSpec.builder(SET).paramLabel("KEY=VALUE").type(List.class).auxiliaryTypes(String.class)
                .initialValue(new ArrayList<String>()).description(lines.toArray(String[]::new)).build();
    }

    private static OptionSpec option(Setting<?> s, String command) {
        String description = s.help() + (s.unit().isEmpty() ? "" : " (" + s.unit() + ")")
                + " (default: " + TortureConfig.defaultText(s, command) + ").";
        OptionSpec.Builder o = OptionSpec.builder(s.option()).description(literal(description));
        if (s.type() == Setting.Type.BOOLEAN) {
            return o.arity("0").type(boolean.class).build();
        }
        if (Collection.class.isAssignableFrom(s.type().javaType())) {
            return o.paramLabel(s.type().label()).type(List.class).auxiliaryTypes(String.class)
                    .initialValue(new ArrayList<String>()).build();
        }
        o.paramLabel(s.type().label()).type(String.class);
        String byDefault = TortureConfig.defaultText(s, command);
        if (s.accepts(byDefault)) {
            o.defaultValue(byDefault);
        }
        return o.build();
    }

    /** {@code text} as picocli shows it: descriptions are format strings, so a '%' is written '%%'. */
    private static String literal(String text) {
        return text.replace("%", "%%");
    }

    /**
     * The settings given to {@code spec}'s command as options (or by default), as text: one
     * entry per value, a repeated option (fault) once per value.
     */
    static List<Map.Entry<Setting<?>, String>> given(CommandSpec spec) {
        List<Map.Entry<Setting<?>, String>> given = new ArrayList<>();
        for (Setting<?> s : TortureConfig.SETTINGS) {
            OptionSpec o = spec.findOption(s.option());
            if (o == null || o.getValue() == null) {
                continue;
            }
            Object v = o.getValue();
            if (v instanceof List<?> list) {
                list.forEach(x -> given.add(Map.entry(s, x.toString())));
            } else if (!(v instanceof Boolean b) || b) {
                given.add(Map.entry(s, v.toString()));
            }
        }
        return given;
    }

    /**
     * The text of setting {@code s}'s option, null if not given and without a default; a
     * repeated option's values joined by commas.
     */
    static String text(CommandSpec spec, Setting<?> s) {
        OptionSpec o = spec.findOption(s.option());
        Object v = o == null ? null : o.getValue();
        if (v instanceof List<?> list) {
            return list.isEmpty() ? null : list.stream().map(Object::toString).collect(Collectors.joining(","));
        }
        return v == null ? null : v.toString();
    }

    /**
     * The value of setting {@code s}'s option, null if not given and without a default.
     *
     * @throws IllegalArgumentException naming the option as the user typed it
     */
    static <T> T value(CommandSpec spec, Setting<T> s) {
        String text = text(spec, s);
        try {
            return text == null ? null : s.parse(text);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.asOption(), e);
        }
    }

    /** The {@code --set KEY=VALUE} values given, in order. */
    static List<String> sets(CommandSpec spec) {
        return spec.findOption(SET).getValue();
    }
}
