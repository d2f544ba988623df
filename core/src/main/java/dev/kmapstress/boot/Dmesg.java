package dev.kmapstress.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel lines one modelled boot prints, in order, without timestamps or log levels (the
 * console shows KERN_INFO and above; KERN_DEBUG lines are not modelled). The static helpers spell
 * numbers the way the kernel's vsprintf does: {@code %#x} always has its {@code 0x}, even for 0.
 */
final class Dmesg {

    private final List<String> lines = new ArrayList<>();

    /** Models {@code printk()}/{@code pr_info()} of one whole line. */
    void printk(String format, Object... args) {
        lines.add(String.format(Locale.ROOT, format, args));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** {@code %#018Lx}: 0x and 16 hex digits. */
    static String hex18(long value) {
        return String.format(Locale.ROOT, "0x%016x", value);
    }

    /** {@code %#010lx}: 0x and at least 8 hex digits. */
    static String hex10(long value) {
        return String.format(Locale.ROOT, "0x%08x", value);
    }

    /** {@code %#lx}: 0x and the hex digits. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** {@code [mem %#018Lx-%#018Lx]} of a range whose last byte is {@code last}. */
    static String mem18(long start, long last) {
        return "[mem " + hex18(start) + "-" + hex18(last) + "]";
    }

    /** {@code [mem %#010lx-%#010lx]}. */
    static String mem10(long start, long last) {
        return "[mem " + hex10(start) + "-" + hex10(last) + "]";
    }
}
