package dev.kmapstress.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a boot starts from: an e820 map written the way the kernel's log prints it, or a
 * whole boot log (its {@code BIOS-e820:} lines and its {@code Kernel command line:}).
 *
 * <pre>{@code
 * List<E820Region> map = BootInput.parseE820("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n…");
 * BootInput.BootLog log = BootInput.parseLog(Files.readString(path));
 * }</pre>
 */
public final class BootInput {

    /** What one e820 line looks like, for error messages. */
    public static final String E820_LINE = "'[TIMESTAMP] BIOS-e820: [mem 0xSTART-0xEND] TYPE'"
            + " (timestamp and 'BIOS-e820: ' optional), TYPE one of " + E820Type.SPELLINGS;
    /** Inputs stay below 16 TB, so every pfn fits an i386 unsigned long. */
    public static final long MAX_PHYS_END = 1L << 44;

    private static final Pattern TIMESTAMP = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] ?");
    private static final Pattern REGION = Pattern.compile(
            "(?:BIOS-e820: )?\\[mem 0x(\\p{XDigit}{1,16})-0x(\\p{XDigit}{1,16})\\] (.+)");
    private static final String BIOS_E820 = "BIOS-e820: ";
    static final String CMDLINE = "Kernel command line: ";
    private static final Pattern MAX_ARCH_PFN = Pattern.compile("last_pfn = 0x\\p{XDigit}+ max_arch_pfn = (0x\\p{XDigit}+)");

    /**
     * The input of a logged boot.
     *
     * @param e820 the firmware map (its BIOS-e820 lines)
     * @param cmdline the kernel command line, exactly as logged (trailing spaces kept)
     * @param profile the profile its {@code max_arch_pfn} identifies, if the log has that line
     */
    public record BootLog(List<E820Region> e820, String cmdline, Optional<BootProfile> profile) {
    }

    private BootInput() {
    }

    /**
     * An e820 map, one region a line; blank lines and lines starting with {@code #} are skipped.
     *
     * @throws BootInputException naming the first bad line and what is expected
     */
    public static List<E820Region> parseE820(String text) {
        List<E820Region> map = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                map.add(parseRegion("e820 line " + (i + 1), stripTimestamp(line)));
            }
        }
        return map;
    }

    /**
     * The e820 map and command line of the first boot in a kernel log: the {@code BIOS-e820:}
     * lines before its {@code Kernel command line:} line; every other line is ignored.
     *
     * @throws BootInputException for a malformed BIOS-e820 line or a log without a command line
     */
    public static BootLog parseLog(String text) {
        List<E820Region> map = new ArrayList<>();
        Optional<BootProfile> profile = Optional.empty();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripTimestamp(lines[i]);
            if (line.startsWith(CMDLINE)) {
                return new BootLog(map, line.substring(CMDLINE.length()), profile);
            } else if (line.startsWith(BIOS_E820)) {
                map.add(parseRegion("boot log line " + (i + 1), line.strip()));
            } else if (profile.isEmpty()) {
                profile = profileOf(line);
            }
        }
        throw new BootInputException("boot log: no '" + CMDLINE.strip() + "' line; expected a kernel"
                + " log that reaches it (it follows the e820 and zone lines)");
    }

    private static Optional<BootProfile> profileOf(String line) {
        Matcher m = MAX_ARCH_PFN.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        long maxArchPfn = Long.decode(m.group(1));
        for (BootProfile p : BootProfile.values()) {
            if (p.maxArchPfn() == maxArchPfn) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String stripTimestamp(String line) {
        return TIMESTAMP.matcher(line).replaceFirst("");
    }

    private static E820Region parseRegion(String where, String line) {
        Matcher m = REGION.matcher(line);
        if (!m.matches()) {
            throw new BootInputException(where + ": '" + line + "': expected " + E820_LINE);
        }
        long start = Long.parseUnsignedLong(m.group(1), 16);
        long last = Long.parseUnsignedLong(m.group(2), 16);
        long type;
        try {
            type = E820Type.parse(m.group(3));
        } catch (IllegalArgumentException e) {
            throw new BootInputException(where + ": unknown type '" + m.group(3) + "'; expected one of "
                    + E820Type.SPELLINGS);
        }
        if (Long.compareUnsigned(last, start) < 0) {
            throw new BootInputException(where + ": end " + Dmesg.hex(last) + " is below start "
                    + Dmesg.hex(start) + "; expected START <= END (END is the last byte)");
        }
        if (Long.compareUnsigned(last, MAX_PHYS_END) >= 0) {
            throw new BootInputException(where + ": end " + Dmesg.hex(last) + " is not below "
                    + Dmesg.hex(MAX_PHYS_END) + " (16 TB); expected addresses whose pfns fit an i386"
                    + " unsigned long");
        }
        return new E820Region(start, last - start + 1, type);
    }
}
