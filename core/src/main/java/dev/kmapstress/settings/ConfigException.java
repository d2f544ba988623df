package dev.kmapstress.settings;

/**
 * A refused setting: which one, the text given and the reason (what is wrong, what is allowed).
 * The message spells it as {@code key=value: reason}, the {@code --set} and scenario spelling;
 * {@link #asOption()} as the command line option {@code --key value: reason}.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final String reason;

    public ConfigException(String key, String value, String reason) {
        this(key + "=" + value + ": " + reason, key, value, reason);
    }

    private ConfigException(String message, String key, String value, String reason) {
        super(message);
        this.key = key;
        this.value = value;
        this.reason = reason;
    }

    /** A key no setting has; {@code known} lists the keys there are. */
    public static ConfigException unknownKey(String key, String value, String known) {
        return new ConfigException("unknown setting '" + key + "'; known: " + known, key, value,
                "unknown setting; known: " + known);
    }

    public String key() { return key; }
    public String value() { return value; }
    public String reason() { return reason; }

    /** The refusal spelled as the option the user typed: {@code --key value: reason}. */
    public String asOption() {
        return "--" + key + " " + value + ": " + reason;
    }
}
