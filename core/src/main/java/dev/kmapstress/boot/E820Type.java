package dev.kmapstress.boot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The e820 region types ({@code enum e820_type}) as unsigned 32-bit values, and their spelling
 * in the kernel's log. Sanitizing an overlap keeps the numerically highest type, so the values
 * matter, not just the names.
 */
public final class E820Type {

    public static final long RAM = 1;
    public static final long RESERVED = 2;
    public static final long ACPI = 3;
    public static final long NVS = 4;
    public static final long UNUSABLE = 5;
    public static final long PMEM = 7;
    public static final long PRAM = 12;
    public static final long RESERVED_KERN = 128;
    public static final long SOFT_RESERVED = 0xefff_ffffL;

    /** What {@link #parse} accepts, for error messages. */
    public static final String SPELLINGS = "usable, reserved, ACPI data, ACPI NVS, unusable, "
            + "persistent (type 7), persistent (type 12), soft reserved, type N";

    private static final Pattern PERSISTENT = Pattern.compile("persistent \\(type (\\d{1,10})\\)");
    private static final Pattern OTHER = Pattern.compile("type (\\d{1,10})");

    private E820Type() {
    }

    /** Models {@code e820_print_type()}: the type as the kernel's log spells it. */
    public static String print(long type) {
        if (type == RAM || type == RESERVED_KERN) {
            return "usable";
        } else if (type == PMEM || type == PRAM) {
            return "persistent (type " + type + ")";
        }
        String named = named(type);
        return named != null ? named : "type " + type;
    }

    /** Whether sanitizing must keep adjacent regions of this type apart ({@code e820_nomerge}). */
    static boolean noMerge(long type) {
        return type == PRAM || type == SOFT_RESERVED;
    }

    /**
     * The type a log spelling stands for; "usable" reads as RAM.
     *
     * @throws IllegalArgumentException if the kernel would never print {@code text} as a type
     */
    public static long parse(String text) {
        for (long t : new long[] {RAM, RESERVED, ACPI, NVS, UNUSABLE, SOFT_RESERVED}) {
            if (print(t).equals(text)) {
                return t;
            }
        }
        Matcher persistent = PERSISTENT.matcher(text);
        if (persistent.matches() && (parseU32(persistent.group(1)) == PMEM
                || parseU32(persistent.group(1)) == PRAM)) {
            return parseU32(persistent.group(1));
        }
        Matcher other = OTHER.matcher(text);
        if (other.matches()) {
            long t = parseU32(other.group(1));
            if (t >= 0 && print(t).equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown e820 type '" + text + "'");
    }

    private static String named(long type) {
        if (type == RESERVED) {
            return "reserved";
        } else if (type == SOFT_RESERVED) {
            return "soft reserved";
        } else if (type == ACPI) {
            return "ACPI data";
        } else if (type == NVS) {
            return "ACPI NVS";
        } else if (type == UNUSABLE) {
            return "unusable";
        }
        return null;
    }

    /** A decimal u32, or -1 when it does not fit. */
    private static long parseU32(String digits) {
        long v = Long.parseLong(digits);
        return v <= 0xffff_ffffL ? v : -1;
    }
}
