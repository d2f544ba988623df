package dev.kmapstress.kernelcheck;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules by which a kernel line and a model line that say the same thing are made equal.
 * Each rule removes something that differs between two runs of the same kernel too, never a
 * value the comparison is about (addresses, slot numbers, CPU numbers, results, source lines):
 * <ul>
 * <li>{@code PID: 86} becomes {@code PID: N}: pids depend on what booted before;</li>
 * <li>{@code __kmap_to_page+0x4c/0x1a0} loses its {@code +offset/size} (and a {@code [module]}
 *     after it): code offsets depend on the compiler, the model has no code addresses;</li>
 * <li>a leading {@code [    1.234567] } timestamp goes.</li>
 * </ul>
 */
public final class Normalise {

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] "), ""),
            new Rule(Pattern.compile("\\bPID: \\d+"), "PID: N"),
            new Rule(Pattern.compile("(\\w)\\+0x[0-9a-f]+/0x[0-9a-f]+( \\[[\\w-]+\\])?"), "$1"));

    private Normalise() {
    }

    /** {@code line} with every rule applied. */
    public static String line(String line) {
        String s = line;
        for (Rule r : RULES) {
            s = r.pattern().matcher(s).replaceAll(r.replacement());
        }
        return s;
    }

    /** Every line of {@code lines}, normalised. */
    public static List<String> lines(List<String> lines) {
        return lines.stream().map(Normalise::line).toList();
    }
}
