package dev.kmapstress.machine;

/** A configuration value that is refused; the message names the field and what is allowed. */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
