package dev.kmapstress.torture;

import dev.kmapstress.settings.Setting;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations the torture options take ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h};
 * a bare number is seconds) and their short printed form. A refused value is an
 * {@link IllegalArgumentException} naming the option and the value.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private static final String EXAMPLES = " such as 500ms, 30s, 10m or 1h";
    private static final String POSITIVE_ALLOWED = "a duration greater than 0" + EXAMPLES;
    private static final String OR_ZERO_ALLOWED = "a duration of 0 or more" + EXAMPLES;
    /** The longest duration taken: a year of torture is a soak; more is a typo or an overflow. */
    public static final Duration MAX = Duration.ofHours(24 * 365);

    /** How a duration's option is labelled in a command's help. */
    public static final String LABEL = "DURATION";
    /** What a duration's option takes, for a command's help. */
    public static final String HELP = "a number and a unit, ms, s, m or h (500ms, 1.5s, 10m, 1h); a bare number is"
            + " seconds";

    /** The type of a setting that is a duration greater than zero. */
    public static final Setting.Type<Duration> POSITIVE = new Setting.Type<>(Duration.class, LABEL,
            Durations::positive, Durations::format);
    /** The type of a setting that is a duration, zero meaning off. */
    public static final Setting.Type<Duration> OR_ZERO = new Setting.Type<>(Duration.class, LABEL,
            Durations::parse, Durations::format);

    private Durations() {
    }

    /**
     * Parses a duration that must be greater than zero (and at most {@link #MAX}).
     *
     * @param option the option's name, for the message ({@code --duration})
     */
    public static Duration positive(String option, String text) {
        return named(option, text, Durations::positive);
    }

    /** Parses a duration that may be zero (a switch that is off), at most {@link #MAX}. */
    public static Duration parse(String option, String text) {
        return named(option, text, Durations::parse);
    }

    /** Parses a duration that must be greater than zero; a refusal says only what is allowed. */
    public static Duration positive(String text) {
        Duration d = atLeastZero(text, POSITIVE_ALLOWED);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be " + POSITIVE_ALLOWED);
        }
        return d;
    }

    /** Parses a duration that may be zero; a refusal says only what is allowed. */
    public static Duration parse(String text) {
        return atLeastZero(text, OR_ZERO_ALLOWED);
    }

    /** Parses a duration at least zero; a refusal says it must be {@code allowed}. */
    private static Duration atLeastZero(String text, String allowed) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("must be " + allowed);
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanosPerUnit = switch (unit) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        double nanos = value * nanosPerUnit;
        if (nanos > MAX.toNanos()) {
            throw new IllegalArgumentException("must be at most " + format(MAX) + " (a year)");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /**
     * The shortest exact spelling {@link #parse} reads back: {@code 1h}, {@code 10m}, {@code 30s},
     * {@code 250ms}, {@code 0.25ms}.
     */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000 != 0) {
            // Whole units would round a part of a millisecond away (a quarter of 1ms to "0s").
            return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static Duration named(String option, String text, java.util.function.Function<String, Duration> parse) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + text + ": " + e.getMessage(), e);
        }
    }
}
