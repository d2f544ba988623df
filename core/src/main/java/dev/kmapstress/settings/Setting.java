package dev.kmapstress.settings;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One setting, declared once as locktorture declares a parameter with {@code torture_param(type,
 * name, default, help)}: its key, its type (how text becomes a value and back), its default,
 * its unit, its help, and the commands that take it as an option. Everything else is derived
 * from these entries: the picocli options, {@code --set KEY=VALUE}, the refusals, the
 * configuration in results files, the replay command and the one-line description of a run.
 *
 * <p>A value is refused with a {@link ConfigException} carrying the key, the text and the reason,
 * so the command line can say {@code --key value: reason} and a scenario {@code key=value:
 * reason} without rewording.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

    private final String key;
    private final Type<T> type;
    private final String defaultText;
    private final Map<String, String> commandDefaults;
    private final String unit;
    private final String help;
    private final Set<String> options;

    private Setting(String key, Type<T> type, String defaultText, Map<String, String> commandDefaults,
            String unit, String help, Set<String> options) {
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.commandDefaults = Map.copyOf(commandDefaults);
        this.unit = unit;
        this.help = help;
        this.options = Set.copyOf(options);
    }

    /**
     * Starts the declaration of setting {@code key} of {@code type}; {@link Builder#help} ends it.
     */
    public static <T> Builder<T> of(String key, Type<T> type) {
        return new Builder<>(key, type);
    }

    /** The key, as {@code --set KEY=VALUE}, results files and descriptions spell it. */
    public String key() { return key; }
    /** The option that sets it, {@code --KEY}. */
    public String option() { return "--" + key; }
    public Type<T> type() { return type; }
    /** The default, as text: a value the type parses, or a sentence where it depends on others. */
    public String defaultText() { return defaultText; }
    /** The unit of the value, empty for none. */
    public String unit() { return unit; }
    public String help() { return help; }

    /** Whether {@code command} takes the setting as an option. */
    public boolean optionOf(String command) {
        return options.contains(command);
    }

    /** The default under {@code command}, which may differ from the general one. */
    public String defaultText(String command) {
        return commandDefaults.getOrDefault(command, defaultText);
    }

    /** Whether {@code text} is a value of this setting (a default may be a sentence instead). */
    public boolean accepts(String text) {
        try {
            type.parser().apply(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The general default value. */
    public T defaultValue() {
        return parse(defaultText);
    }

    /**
     * Parses {@code text}.
     *
     * @throws ConfigException naming this setting, the text and what is allowed
     */
    public T parse(String text) {
        try {
            return type.parser().apply(text);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw refuse(text, e.getMessage());
        }
    }

    /** The spelling {@link #parse} reads back. */
    public String format(T value) {
        return type.format().apply(value);
    }

    /**
     * The value as a results file records it: numbers and booleans as such (a duration whose
     * spelling is a bare count of milliseconds too), the rest as text.
     */
    public Object json(T value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        String text = format(value);
        return value instanceof java.time.Duration d && text.matches("\\d+") ? (Object) d.toMillis() : text;
    }

    /** A refusal of {@code value}: {@code reason} says what is wrong and what is allowed. */
    public ConfigException refuse(Object value, String reason) {
        @SuppressWarnings("unchecked")
        String text = type.javaType().isInstance(value) ? format((T) value) : String.valueOf(value);
        return new ConfigException(key, text, reason);
    }

    /**
     * Settings are equal when their keys are: a key names one setting. Hashing by key, not by
     * identity, keeps maps of settings deterministic, which Lincheck's model checker (it
     * replaces identity hash codes) needs.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Setting<?> s && s.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }

    /** A setting's declaration in progress. */
    public static final class Builder<T> {
        private final String key;
        private final Type<T> type;
        private String defaultText = "none";
        private final Map<String, String> commandDefaults = new java.util.HashMap<>();
        private String unit = "";
        private Set<String> options = Set.of();

        private Builder(String key, Type<T> type) {
            this.key = key;
            this.type = type;
        }

        /** The default: a value the type parses, or a sentence where it depends on others. */
        public Builder<T> byDefault(String text) { this.defaultText = text; return this; }
        /** The default of {@code command} where it differs. */
        public Builder<T> byDefault(String command, String text) { commandDefaults.put(command, text); return this; }
        public Builder<T> unit(String u) { this.unit = u; return this; }
        /** The commands that take the setting as an option (every machine setting takes --set too). */
        public Builder<T> options(String... commands) { this.options = Set.of(commands); return this; }

        /** Ends the declaration with its help text. */
        public Setting<T> help(String help) {
            return new Setting<>(key, type, defaultText, commandDefaults, unit, help, options);
        }
    }

    /**
     * A type of value: how text becomes a value ({@link IllegalArgumentException} with the reason
     * for a refusal) and the spelling that reads back.
     *
     * @param label the parameter label in help ({@code N}, {@code DURATION})
     */
    public record Type<T>(Class<T> javaType, String label, Function<String, T> parser, Function<T, String> format) {

        public static final Type<Integer> INTEGER = new Type<>(Integer.class, "N", Type::integer, String::valueOf);
        public static final Type<Long> LONG = new Type<>(Long.class, "N", Type::longInteger, String::valueOf);
        public static final Type<Boolean> BOOLEAN = new Type<>(Boolean.class, "BOOL", Type::bool, String::valueOf);
        public static final Type<Double> PROBABILITY = new Type<>(Double.class, "P", Type::probability,
                String::valueOf);
        public static final Type<String> NAME = new Type<>(String.class, "NAME", String::trim, s -> s);

        /** A type parsed by {@code parser} and spelled by {@code toString}. */
        public static <T> Type<T> of(Class<T> type, String label, Function<String, T> parser) {
            return new Type<>(type, label, parser, String::valueOf);
        }

        private static int integer(String text) {
            long n = longInteger(text);
            if (n != (int) n) {
                throw new IllegalArgumentException("must be a whole number from " + Integer.MIN_VALUE + " to "
                        + Integer.MAX_VALUE);
            }
            return (int) n;
        }

        private static long longInteger(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
        }

        private static boolean bool(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes" -> true;
                case "false", "off", "no" -> false;
                default -> throw new IllegalArgumentException("must be true or false (or yes/no, on/off)");
            };
        }

        private static double probability(String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a probability from 0 to 1");
            }
        }
    }

    /** The keys of {@code settings}, comma-separated, for help and refusals. */
    public static String keys(List<? extends Setting<?>> settings) {
        return String.join(", ", settings.stream().map(Setting::key).toList());
    }
}
