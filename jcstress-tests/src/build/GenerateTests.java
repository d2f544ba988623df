import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.LockStrategyProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the JCStress tests that are derived rather than written by hand, as Java sources for
 * the module's compilation (run by exec-maven-plugin in generate-sources, with kmap-stress-core
 * on the class path):
 * <ul>
 * <li>for every lock strategy of {@link LockRegistry#standard()}: {@code <Name>MutualExclusion}
 *     (the race of {@code locks.MutualExclusionRace}) and {@code <Name>KmapUnderLock} (the race
 *     of {@code locks.KmapUnderLockRace}), and, if it has a trylock, {@code <Name>TryLockExclusion}
 *     (the race of {@code locks.TryLockExclusionRace}), {@code <Name>} ending in {@code Lock}; a
 *     strategy registered as broken gets them as negative controls. Every mutual-exclusion race
 *     is in the smoke subset. A strategy added to the registry gets its tests with the next
 *     build.</li>
 * <li>for every fault a hand-written test lists in {@code @Controls}: {@code <Test>With<Fault>},
 *     the same race with that fault on, marked {@code @NegativeControl}.</li>
 * </ul>
 * Usage: {@code java -cp CORE_CLASSPATH GenerateTests.java SOURCE_DIR OUTPUT_DIR
 * [--classpath=JARS] [--locks=NAMES]}: {@code --classpath} adds a user's jars (':'-separated),
 * whose strategies join the registry; {@code --locks} (comma-separated) writes the lock tests of
 * those strategies only. Empty values mean none and all. The output directory is emptied first,
 * so a removed strategy or control leaves nothing behind.
 */
public class GenerateTests {

    private static final String BASE = "dev.kmapstress.jcstress";
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
    private static final Pattern CONTROLS = Pattern.compile("@Controls\\(([^)]*)\\)");
    /** One list of {@code @Controls}: an optional {@code name =} and a brace list or one constant. */
    private static final Pattern LIST = Pattern.compile("(?:(\\w+)\\s*=\\s*)?(\\{[^}]*\\}|Fault\\.\\w+)");
    private static final Map<String, String> EXPECT = Map.of(
            "value", "CAUGHT", "benign", "BENIGN", "narrow", "NARROW");
    private static final Pattern FAULT = Pattern.compile("Fault\\.(\\w+)");
    private static final Pattern LOCK_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GenerateTests SOURCE_DIR OUTPUT_DIR [--classpath=JARS] [--locks=NAMES]");
            System.exit(2);
        }
        Path sources = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String classpath = option(args, "--classpath=");
        String names = option(args, "--locks=");
        List<LockStrategyProvider> selected;
        try {
            selected = selectedLocks(registry(classpath), names);
        } catch (IllegalArgumentException e) {
            System.err.println("GenerateTests: " + e.getMessage());
            System.exit(2);
            return;
        }
        clean(out);
        int locks = 0;
        int lockTests = 0;
        for (LockStrategyProvider p : selected) {
            lockTests += writeLockTests(out, p);
            locks++;
        }
        int controls = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                controls += writeControls(out, f);
            }
        }
        System.out.printf("GenerateTests: %d lock strategies -> %d tests, %d fault controls, in %s%n",
                locks, lockTests, controls, out);
    }

    // ------------------------------------------------------------ lock strategies

    /** The value of {@code --name=VALUE} among the arguments after the two directories, or "". */
    private static String option(String[] args, String prefix) {
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith(prefix)) {
                return args[i].substring(prefix.length());
            }
        }
        return "";
    }

    /** The standard registry, plus the strategies of the jars on {@code classpath}. */
    private static LockRegistry registry(String classpath) throws IOException {
        if (classpath.isBlank()) {
            return LockRegistry.standard();
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("kmapstress.classpath names " + entry + ", which does not exist");
            }
            urls.add(p.toUri().toURL());
        }
        return LockRegistry.load(new URLClassLoader(urls.toArray(URL[]::new), GenerateTests.class.getClassLoader()));
    }

    /** The strategies named in {@code names} (comma-separated), or every one if it is empty. */
    private static List<LockStrategyProvider> selectedLocks(LockRegistry registry, String names) {
        if (names.isBlank()) {
            return registry.providers();
        }
        List<LockStrategyProvider> selected = new ArrayList<>();
        for (String name : names.split(",")) {
            selected.add(registry.get(name.strip()));
        }
        return selected;
    }

    /** Writes the tests of one strategy; returns how many. */
    private static int writeLockTests(Path out, LockStrategyProvider p) {
        String name = p.name();
        if (!LOCK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lock strategy name '" + name + "' cannot name a test"
                    + " class; allowed: lower-case words of letters and digits joined by '-'");
        }
        // "ticket" -> TicketLock..., "qspinlock" -> Qspinlock... (no LockLock).
        String camel = camel(name.split("-"));
        camel = camel.toLowerCase(Locale.ROOT).endsWith("lock") ? camel : camel + "Lock";
        String role = p.broken() ? "a negative control: the strategy is registered as broken, so the race must"
                + " show a forbidden outcome" : "a faithful test";
        String control = p.broken() ? "lock = " + quote(name) : null;
        String mutex = BASE + ".locks.MutualExclusionRace";
        writeClass(out, BASE + ".locks", camel + "MutualExclusion",
                "The mutual-exclusion race of {@link " + mutex + "} with lock strategy {@code " + name
                        + "}; " + role + ". In the smoke subset: a broken kernel lock cannot pass CI.",
                mutex, quote(name), control, true);
        String kmap = BASE + ".locks.KmapUnderLockRace";
        writeClass(out, BASE + ".locks", camel + "KmapUnderLock",
                "The race of {@link " + kmap + "} with {@code " + name + "} as kmap_lock and every other"
                        + " spinlock; " + role + ".",
                kmap, quote(name), control, false);
        if (!p.supportsTryLock()) {
            return 2;
        }
        String trylock = BASE + ".locks.TryLockExclusionRace";
        writeClass(out, BASE + ".locks", camel + "TryLockExclusion",
                "The trylock race of {@link " + trylock + "} with lock strategy {@code " + name + "}; " + role + ".",
                trylock, quote(name), control, false);
        return 3;
    }

    // ------------------------------------------------------------ fault controls

    private static int writeControls(Path out, Path file) {
        String src = read(file);
        Matcher c = CONTROLS.matcher(src);
        if (!c.find()) {
            return 0;
        }
        Matcher pkg = PACKAGE.matcher(src);
        if (!pkg.find()) {
            throw new IllegalArgumentException(file + ": @Controls on a class without a package");
        }
        String test = file.getFileName().toString().replace(".java", "");
        String owner = pkg.group(1) + "." + test;
        int n = 0;
        for (String[] list : lists(file, c.group(1))) {
            for (Fault f : faults(file, list[1])) {
                writeControl(out, pkg.group(1), test, owner, f, list[0]);
                n++;
            }
        }
        return n;
    }

    /**
     * Splits the arguments of {@code @Controls(...)} into (expectation, fault text) pairs: the
     * unnamed or {@code value} list is CAUGHT, {@code benign} BENIGN, {@code narrow} NARROW.
     */
    private static List<String[]> lists(Path file, String args) {
        List<String[]> lists = new ArrayList<>();
        Matcher m = LIST.matcher(args);
        while (m.find()) {
            String name = m.group(1) == null ? "value" : m.group(1);
            if (!EXPECT.containsKey(name)) {
                throw new IllegalArgumentException(file + ": @Controls has no element '" + name
                        + "'; allowed: " + EXPECT.keySet());
            }
            lists.add(new String[] {EXPECT.get(name), m.group(2)});
        }
        return lists;
    }

    private static void writeControl(Path out, String pkg, String test, String owner, Fault f,
            String expect) {
        String role = switch (expect) {
            case "BENIGN" -> "a benign fault here, so it must come out clean (a documented negative result).";
            case "NARROW" -> "a window too narrow to hit; forbidden outcomes are reported, not required.";
            default -> "a negative control that must show a forbidden outcome.";
        };
        String javadoc = "The race of {@link " + owner + "} with fault {@code " + f + "} on: " + role;
        String mark = "fault = dev.kmapstress.fault.Fault." + f
                + ", expect = dev.kmapstress.jcstress.support.NegativeControl.Expect." + expect;
        writeClass(out, pkg, test + "With" + camel(f.name().split("_")), javadoc, owner,
                "dev.kmapstress.fault.Fault." + f, mark, false);
    }

    private static List<Fault> faults(Path file, String text) {
        List<Fault> list = new ArrayList<>();
        Matcher m = FAULT.matcher(text);
        while (m.find()) {
            try {
                list.add(Fault.valueOf(m.group(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": @Controls names unknown fault '" + m.group(1)
                        + "'; known: " + Fault.names());
            }
        }
        return list;
    }

    // ------------------------------------------------------------ the one template

    /**
     * Writes a test class that extends the test or race {@code base} through its constructor
     * with {@code ctorArg}, inherits its {@code @Outcome}s and re-declares its actors (JCStress
     * only looks at the methods a test class declares itself). {@code control} is the body of
     * its {@code @NegativeControl}, or null for a faithful test; {@code smoke} puts a faithful
     * test into the smoke subset (controls are there anyway).
     */
    private static void writeClass(Path out, String pkg, String name, String javadoc, String base,
            String ctorArg, String control, boolean smoke) {
        StringBuilder s = new StringBuilder();
        s.append("package ").append(pkg).append(";\n\n");
        s.append("/**\n * ").append(javadoc).append("\n *\n * <p>Generated by jcstress-tests/src/build/GenerateTests.java;")
                .append(" do not edit.\n */\n");
        s.append("@org.openjdk.jcstress.annotations.JCStressTest\n");
        s.append("@org.openjdk.jcstress.annotations.State\n");
        if (smoke) {
            s.append("@dev.kmapstress.jcstress.support.Smoke\n");
        }
        if (control != null) {
            s.append("@dev.kmapstress.jcstress.support.NegativeControl(of = ").append(base).append(".class, ")
                    .append(control).append(")\n");
        }
        s.append("public class ").append(name).append(" extends ").append(base).append(" {\n\n");
        s.append("    public ").append(name).append("() {\n        super(").append(ctorArg).append(");\n    }\n");
        String result = "org.openjdk.jcstress.infra.results.LLL_Result r";
        s.append(method("Actor", "cpu0", result));
        s.append(method("Actor", "cpu1", result));
        s.append(method("Arbiter", "arbiter", result));
        s.append("}\n");
        Path file = out.resolve(pkg.replace('.', '/')).resolve(name + ".java");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String method(String annotation, String name, String param) {
        return "\n    @Override\n    @org.openjdk.jcstress.annotations." + annotation + "\n    public void " + name
                + "(" + param + ") {\n        super." + name + "(r);\n    }\n";
    }

    // ------------------------------------------------------------ helpers

    private static String camel(String[] words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(w.substring(0, 1).toUpperCase(Locale.ROOT)).append(w.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
