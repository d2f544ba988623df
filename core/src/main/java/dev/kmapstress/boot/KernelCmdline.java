package dev.kmapstress.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * How the kernel reads its command line: {@code memparse()} and {@code next_arg()} of
 * {@code lib/cmdline.c}, and the early-parameter walk of {@code parse_args()}
 * ({@code kernel/params.c}), which splits at unquoted spaces and stops at {@code --}.
 */
public final class KernelCmdline {

    /** What a size may look like, for error messages. */
    public static final String SIZE_SYNTAX = "a size as the kernel's memparse reads it: digits"
            + " (0x... hex, leading 0 octal) with an optional K, M, G, T, P or E suffix";

    private static final String SUFFIXES = "kmgtpe";

    /**
     * A memparse result.
     *
     * @param value the u64 value (as the kernel returns it, in a long's bits)
     * @param end index after the last character read (number and suffix)
     * @param digits how many digits the number had (0: memparse read no number and returned 0)
     * @param overflow whether the value did not fit in 64 bits (the kernel silently wraps)
     */
    public record Memparse(long value, int end, int digits, boolean overflow) {
    }

    /** One {@code param[=value]} word; {@code value} is null without {@code =}. */
    record Param(String name, String value) {
    }

    private KernelCmdline() {
    }

    /**
     * Models {@code memparse()}: {@code simple_strtoull(s, &end, 0)} then an optional
     * K/M/G/T/P/E suffix (either case), each step a factor of 1024. Never fails, as in the
     * kernel: with no digits it returns 0; what follows the suffix is left unread.
     */
    public static Memparse memparse(String s) {
        int base = 10;
        int i = 0;
        if (at(s, 0) == '0') {
            boolean hex = Character.toLowerCase(at(s, 1)) == 'x' && Character.digit(at(s, 2), 16) >= 0;
            base = hex ? 16 : 8;
            i = hex ? 2 : 0;
        }
        long value = 0;
        boolean overflow = false;
        int digits = 0;
        for (int d; (d = digit(at(s, i), base)) >= 0; i++, digits++) {
            overflow |= Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0;
            value = value * base + d;
        }
        int level = SUFFIXES.indexOf(Character.toLowerCase(at(s, i))) + 1;
        if (level > 0) {
            overflow |= level * 10 > Long.numberOfLeadingZeros(value);
            value <<= 10 * level;
            i++;
        }
        return new Memparse(value, i, digits, overflow);
    }

    /**
     * The size {@code param=arg} gives, read by {@link #memparse}; input the kernel would read as
     * no number at all, or that overflows 64 bits, is refused.
     *
     * @throws BootInputException naming the parameter and what is expected
     */
    static Memparse size(String param, String arg) {
        Memparse m = memparse(arg);
        if (m.digits() == 0) {
            throw new BootInputException("kernel command line " + param + "=" + arg + ": expected "
                    + SIZE_SYNTAX);
        }
        if (m.overflow()) {
            throw new BootInputException("kernel command line " + param + "=" + arg
                    + ": too large; memparse's result has 64 bits");
        }
        return m;
    }

    /**
     * Models {@code parse_args("early options", …)} with {@code next_arg()}: the words of the
     * command line in order, quotes honoured and stripped as the kernel strips them, up to a
     * bare {@code --}.
     */
    static List<Param> earlyParams(String cmdline) {
        char[] args = (cmdline + '\0').toCharArray();
        List<Param> out = new ArrayList<>();
        int p = skipSpaces(args, 0);
        while (args[p] != '\0') {
            int[] next = new int[1];
            Param param = nextArg(args, p, next);
            if (param.value() == null && param.name().equals("--")) {
                break;
            }
            out.add(param);
            p = next[0];
        }
        return out;
    }

    /**
     * Models {@code next_arg()} on a NUL-terminated buffer it may write NULs into: one word
     * from {@code p}; {@code next[0]} receives where the following word starts.
     */
    private static Param nextArg(char[] args, int p, int[] next) {
        boolean inQuote = false;
        boolean quoted = false;
        if (args[p] == '"') {
            p++;
            inQuote = true;
            quoted = true;
        }
        int equals = 0;
        int i = 0;
        for (; args[p + i] != '\0'; i++) {
            if (isSpace(args[p + i]) && !inQuote) {
                break;
            }
            if (equals == 0 && args[p + i] == '=') {
                equals = i;
            }
            if (args[p + i] == '"') {
                inQuote = !inQuote;
            }
        }
        int val = -1;
        if (equals != 0) {
            args[p + equals] = '\0';
            val = p + equals + 1;
            if (args[val] == '"') {
                val++;
                if (args[p + i - 1] == '"') {
                    args[p + i - 1] = '\0';
                }
            }
        }
        if (quoted && i > 0 && args[p + i - 1] == '"') {
            args[p + i - 1] = '\0';
        }
        boolean more = args[p + i] != '\0';
        args[p + i] = '\0';
        next[0] = skipSpaces(args, more ? p + i + 1 : p + i);
        return new Param(cString(args, p), val < 0 ? null : cString(args, val));
    }

    private static int skipSpaces(char[] args, int p) {
        while (isSpace(args[p])) {
            p++;
        }
        return p;
    }

    /** The kernel's {@code isspace()}: its ctype table also counts Latin-1 NBSP as space. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0';
    }

    private static String cString(char[] buf, int from) {
        int end = from;
        while (buf[end] != '\0') {
            end++;
        }
        return new String(buf, from, end - from);
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    /** A digit of {@code base} as {@code _parse_integer_limit()} reads it, or -1. */
    private static int digit(char c, int base) {
        int d = c >= '0' && c <= '9' ? c - '0'
                : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        return d < base ? d : -1;
    }
}
