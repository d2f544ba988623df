package dev.kmapstress.scenario;

import dev.kmapstress.log.ReportKind;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.scenario.Script.Line;
import dev.kmapstress.scenario.Script.PageRef;
import dev.kmapstress.scenario.Script.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the scenario language into a {@link Script}, validating every word against the
 * machine the first line describes.
 *
 * <pre>
 * # comment                                (also after a line; blank lines are ignored)
 * machine profile=x86-pae cpus=2 ...       first line: MachineConfig.Builder.set keys
 * cpu0 kmap p3                             a step: cpuN OP ARGS...
 * cpu0 zero_user_segments p3 0 4 8 16      ... with as many arguments as OP takes
 * cpu1 kmap p4 until spin_unlock kmap_lock a step that pauses after that internal step
 * cpu1 wait                                resume a blocked or paused CPU
 * expect cpu0 kmap p3 = 0xff003000         a step whose result must match
 * expect page_address p0 = NULL            a check of the machine, asked on an idle CPU
 * expect log BUG | expect log none         the kernel log has a report of that kind / none
 * </pre>
 */
public final class ScriptParser {

    private static final Pattern CPU = Pattern.compile("cpu(0|[1-9][0-9]*)");
    private static final Pattern PAGE = Pattern.compile("([pl])(0|[1-9][0-9]*)");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]{1,8}");
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,9}");
    /** A task's comm: TASK_COMM_LEN is 16 with its terminating NUL. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./:-]{0,14}");
    private static final String RESULTS = "a result: an address or value 0x..., NULL, ok, blocked,"
            + " paused, oops, refused, or a page pK / lK";

    private final String source;
    private MachineConfig config;
    private int lineNo;

    private ScriptParser(String source) {
        this.source = source;
    }

    /**
     * Parses {@code text}; {@code overrides} are {@code KEY=VALUE} settings applied after the
     * machine line's (the CLI's {@code --set}).
     *
     * @throws ScriptException for the first word that does not parse
     */
    public static Script parse(String source, String text, List<String> overrides) {
        return new ScriptParser(source).parse(text, overrides);
    }

    private Script parse(String text, List<String> overrides) {
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            lineNo = i + 1;
            List<String> words = words(raw[i]);
            if (words.isEmpty()) {
                continue;
            }
            if (config == null) {
                config = machine(words, overrides);
            } else {
                lines.add(line(words));
            }
        }
        if (config == null) {
            lineNo = raw.length;
            throw error("end of file", "expected a first line 'machine KEY=VALUE ...'");
        }
        return new Script(source, config, lines);
    }

    private static List<String> words(String line) {
        int hash = line.indexOf('#');
        String code = (hash >= 0 ? line.substring(0, hash) : line).trim();
        return code.isEmpty() ? List.of() : Arrays.asList(code.split("\\s+"));
    }

    private ScriptException error(String word, String expected) {
        return new ScriptException(source, lineNo, word, expected);
    }

    // ------------------------------------------------------------------ machine line

    private MachineConfig machine(List<String> words, List<String> overrides) {
        if (!words.get(0).equals("machine")) {
            throw error(words.get(0), "expected a first line 'machine KEY=VALUE ...'");
        }
        MachineConfig.Builder b = MachineConfig.builder(Profile.X86_PAE);
        List<String> settings = words.subList(1, words.size());
        settings.forEach(s -> set(b, s, lineNo));
        overrides.forEach(s -> set(b, s, 0));
        try {
            return b.build();
        } catch (ConfigException e) {
            throw new ScriptException(source, lineNo, String.join(" ", words), e.getMessage());
        }
    }

    private void set(MachineConfig.Builder b, String setting, int line) {
        int eq = setting.indexOf('=');
        if (eq <= 0) {
            throw new ScriptException(source, line, setting, "expected KEY=VALUE with a key of: "
                    + MachineConfig.KEYS);
        }
        try {
            b.set(setting.substring(0, eq), setting.substring(eq + 1));
        } catch (ConfigException e) {
            throw new ScriptException(source, line, setting, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ steps and checks

    private Line line(List<String> words) {
        if (!words.get(0).equals("expect")) {
            int eq = words.indexOf("=");
            if (eq >= 0) {
                throw error("=", "a result is checked only on an expect line: 'expect "
                        + String.join(" ", words) + "'");
            }
            return step(words, null);
        }
        int eq = words.lastIndexOf("=");
        List<String> body = words.subList(1, eq < 0 ? words.size() : eq);
        if (body.isEmpty()) {
            throw error("expect", "expected 'expect cpuN OP ... = RESULT', 'expect page_address pK"
                    + " = RESULT' or 'expect log KIND|none'");
        }
        if (body.get(0).equals("log")) {
            return logCheck(words);
        }
        if (eq < 0 || eq != words.size() - 2) {
            throw error(words.get(words.size() - 1), "expected '= RESULT' at the end of an expect"
                    + " line, with " + RESULTS);
        }
        String expected = result(words.get(eq + 1));
        if (body.get(0).equals(Op.PAGE_ADDRESS.word())) {
            if (body.size() != 2) {
                throw error(String.join(" ", body), "expected 'page_address pK'");
            }
            return new Script.PageAddressCheck(lineNo, page(body.get(1)), expected);
        }
        return step(body, expected);
    }

    private Script.LogCheck logCheck(List<String> words) {
        String kinds = "none or a report kind: " + Arrays.stream(ReportKind.values())
                .map(Enum::name).collect(Collectors.joining(", "));
        if (words.size() != 3) {
            throw error(String.join(" ", words), "expected 'expect log KIND', KIND " + kinds);
        }
        String kind = words.get(2);
        if (kind.equals("none")) {
            return new Script.LogCheck(lineNo, null);
        }
        try {
            return new Script.LogCheck(lineNo, ReportKind.valueOf(kind.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw error(kind, "expected " + kinds);
        }
    }

    private String result(String word) {
        if (HEX.matcher(word).matches()) {
            return Script.hex(Long.parseLong(word.substring(2), 16));
        }
        if (List.of("NULL", "ok", "blocked", "paused", "oops", "refused").contains(word)
                || PAGE.matcher(word).matches()) {
            return word;
        }
        throw error(word, "expected " + RESULTS);
    }

    private Step step(List<String> words, String expected) {
        int cpu = cpu(words.get(0));
        if (words.size() < 2) {
            throw error(words.get(0), "expected an operation after it: " + Op.words());
        }
        Op op = Op.byWord(words.get(1));
        if (op == null) {
            throw error(words.get(1), "expected an operation: " + Op.words());
        }
        checkAvailable(op, words.get(1));
        int until = words.indexOf("until");
        List<String> args = words.subList(2, until < 0 ? words.size() : until);
        if (until >= 0 && until == words.size() - 1) {
            throw error("until", "expected the internal step to pause after, e.g."
                    + " 'until spin_unlock kmap_lock' (the first words of a --trace line)");
        }
        String untilText = until < 0 ? null : String.join(" ", words.subList(until + 1, words.size()));
        if (args.size() != op.args().size()) {
            String got = args.size() > op.args().size() ? args.get(op.args().size()) : "end of line";
            throw error(got, "'" + op.word() + "' takes " + describe(op));
        }
        PageRef page = null;
        long addr = 0;
        String name = null;
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (op.args().get(i)) {
                case PAGE -> page = page(a);
                case ADDR -> addr = address(a);
                case ADDR_OR_TOP -> addr = a.equals("top") ? Step.TOP : address(a);
                case WORD -> numbers.add(wordIndex(a));
                case VALUE -> numbers.add(value(a, "a 32-bit value"));
                case OFFSET -> numbers.add(value(a, "a word offset in the page (0.." + config.payloadWords()
                        + " with payload-words=" + config.payloadWords() + "; beyond it, the kernel's BUG)"));
                case NAME -> name = name(a);
            }
        }
        return new Step(lineNo, cpu, op, page, addr, name, numbers, untilText, expected);
    }

    private static String describe(Op op) {
        if (op.args().isEmpty()) {
            return "no arguments";
        }
        return op.args().stream().map(Op.Arg::description).collect(Collectors.joining(", then "));
    }

    private void checkAvailable(Op op, String word) {
        if (op == Op.KMAP_HIGH_GET && !config.profile().kmapHighGet()) {
            throw error(word, "kmap_high_get exists only where ARCH_NEEDS_KMAP_HIGH_GET: use"
                    + " profile=arm-like (this machine is " + config.profile().id() + ")");
        }
    }

    private int cpu(String word) {
        var m = CPU.matcher(word);
        int n = m.matches() && m.group(1).length() <= 3 ? Integer.parseInt(m.group(1)) : -1;
        if (n < 0 || n >= config.cpus()) {
            throw error(word, "expected a CPU cpu0..cpu" + (config.cpus() - 1) + ", 'expect' or"
                    + " (first line only) 'machine'");
        }
        return n;
    }

    private PageRef page(String word) {
        var m = PAGE.matcher(word);
        boolean high = m.matches() && m.group(1).equals("p");
        int limit = high ? config.highmemPages() : config.lowmemPages();
        if (!m.matches() || m.group(2).length() > 7 || Integer.parseInt(m.group(2)) >= limit) {
            throw error(word, "expected a page p0..p" + (config.highmemPages() - 1) + " (highmem)"
                    + " or l0..l" + (config.lowmemPages() - 1) + " (lowmem)");
        }
        return new PageRef(high, Integer.parseInt(m.group(2)));
    }

    private long address(String word) {
        if (!HEX.matcher(word).matches()) {
            throw error(word, "expected an address in hex, 0x0..0xffffffff");
        }
        return Long.parseLong(word.substring(2), 16);
    }

    private int wordIndex(String word) {
        if (!DECIMAL.matcher(word).matches() || Long.parseLong(word) >= config.payloadWords()) {
            throw error(word, "expected a word index 0.." + (config.payloadWords() - 1)
                    + " (payload-words=" + config.payloadWords() + ")");
        }
        return Integer.parseInt(word);
    }

    private String name(String word) {
        if (!NAME.matcher(word).matches()) {
            throw error(word, "expected a task name: 1 to 15 of A-Z a-z 0-9 _ . / : - (not starting"
                    + " with . / : -)");
        }
        return word;
    }

    /** A 32-bit number, hex or decimal; {@code what} says what it stands for. */
    private int value(String word, String what) {
        if (HEX.matcher(word).matches()) {
            return (int) Long.parseLong(word.substring(2), 16);
        }
        if (DECIMAL.matcher(word).matches() && Long.parseLong(word) <= 0xffff_ffffL) {
            return (int) Long.parseLong(word);
        }
        throw error(word, "expected " + what + ": 0x0..0xffffffff or decimal 0..4294967295");
    }
}
