package dev.kmapstress.jcstress.suite;

import dev.kmapstress.jcstress.suite.Selection.Entry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the JCStress suite and judges it by more than JCStress's exit code: every selected test
 * must have run (none skipped for lack of CPUs), no faithful test may show a forbidden outcome,
 * and every negative control must show one (a control not caught runs again, beside its faithful
 * race, up to {@link #RETRIES} times; in the full suite a test short of its density aim runs
 * again once, for longer). Writes a Markdown summary atomically.
 *
 * <pre>
 * java -cp jcstress-tests/target/jcstress.jar dev.kmapstress.jcstress.suite.Suite smoke|full|locks
 *      [--summary FILE] [--only REGEX] [--work DIR]
 * </pre>
 * Exit status: 0 all verdicts hold, 1 some do not, 2 bad usage.
 *
 * <p>JCStress runs in a child JVM ({@code org.openjdk.jcstress.Main} from this same jar) in a
 * fresh work directory, so its result file is the only one there; its own exit code is not
 * used, since the controls make it 1 on purpose.
 */
public final class Suite {

    /** The JVM mode every fork runs in: tiered compilation, the default, named explicitly so
     *  that JCStress runs this one mode instead of probing eight. */
    private static final String JVM_MODE = "-XX:TieredStopAtLevel=4";

    /**
     * Strides of 256 samples per pass (JCStress's default is 40): a fork first sizes its pass
     * by running growing batches five times each until a batch takes longer than an iteration,
     * or fills a quarter of the heap, or reaches a full pass. Our states are whole machines, so
     * with 40 strides that sizing ran some 100,000 samples of growing batches (seconds per fork)
     * before the first iteration; with 4 it ends at a pass of 1,024 after about 33,000, which
     * still count as samples.
     */
    private static final String STRIDES = "4";

    /**
     * How many more passes the suite may make after the first. A control not caught runs again,
     * beside its faithful race, in each of them: a control shows that a race can catch its fault,
     * which takes samples, and a host busy with other work can leave a 100 ms smoke pass only a
     * few dozen of a slow race's samples: too few, now and then, for a catch that a quiet machine
     * makes every other sample ({@code results/ci/soak-2695d38}). A suite that tops up also runs
     * a test again, once, for longer, when its first pass left it short of its density aim.
     * Faithful races get no second chance: in every pass they run in, every sample must be clean.
     */
    static final int RETRIES = 2;

    /** The suites and their JCStress settings. */
    enum Kind {
        /** CI: the smoke subset, in JCStress's quick settings (a few minutes); a control missed re-runs for 1 s. */
        SMOKE("mvn -B verify (README's test command)", Duration.ofMinutes(30), List.of("-m", "quick"), 1, 100, 1_000,
                false),
        /**
         * Every test with real time budgets: four iterations of half a second per test and JVM
         * mode (two modes: with and without biased locking), after the stride estimation, whose
         * samples count too. A full run of 2 CPUs is meant to fit 20 minutes and give every
         * faithful race 100,000 samples and every control 1,000: a test short of that after its
         * first pass is topped up.
         */
        FULL("mvn -B -Pjcstress-full -DskipTests -pl jcstress-tests -am verify", Duration.ofHours(2), List.of(), 4, 500,
                500, true),
        /** The lock tests only (built for the strategies named by -Dkmapstress.locks), with real time budgets. */
        LOCKS("mvn -B -pl jcstress-tests -am verify -DskipTests -Dkmapstress.classpath=JARS -Dkmapstress.locks=NAMES",
                Duration.ofHours(1), List.of(), 3, 300, 300, false);

        private final String command;
        private final Duration deadline;
        private final List<String> preset;
        private final int iterations;
        private final int millis;
        private final int retryMillis;
        private final boolean topsUp;

        Kind(String command, Duration deadline, List<String> preset, int iterations, int millis, int retryMillis,
                boolean topsUp) {
            this.command = command;
            this.deadline = deadline;
            this.preset = preset;
            this.iterations = iterations;
            this.millis = millis;
            this.retryMillis = retryMillis;
            this.topsUp = topsUp;
        }

        /** How long one JCStress pass may run before the suite ends it and fails: several times its usual time. */
        Duration deadline() {
            return deadline;
        }

        String command() {
            return command;
        }

        /** The first pass's time per iteration ({@code -time}), in milliseconds. */
        int millis() {
            return millis;
        }

        /** The time per iteration of a pass over a control not caught yet. */
        int retryMillis() {
            return retryMillis;
        }

        /** Whether a test short of its density aim after the first pass runs again for longer. */
        boolean topsUp() {
            return topsUp;
        }

        /** JCStress's command-line settings for a pass of {@code time} milliseconds an iteration. */
        List<String> settings(int time) {
            List<String> all = new ArrayList<>(preset);
            all.addAll(List.of("-iters", Integer.toString(iterations), "-time", Integer.toString(time),
                    "-strideCount", STRIDES, "-sc", "false", "-pth", "false", "-jvmArgs", JVM_MODE));
            return all;
        }
    }

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(Options.parse(args));
        } catch (UsageException e) {
            System.err.println("jcstress suite: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    private static int run(Options o) throws IOException, InterruptedException {
        // The lock suite is about a user's strategies, not the fault catalogue.
        if (o.kind != Kind.LOCKS && !covered(Selection.of(o.kind, null), Coverage.repositoryOf(Path.of("")), System.err)) {
            return 1;
        }
        Selection selection = Selection.of(o.kind, o.only);
        int cpus = Runtime.getRuntime().availableProcessors();
        if (selection.entries().isEmpty()) {
            System.err.println("jcstress suite: no test selected" + (o.only == null ? "" : " by --only " + o.only));
            return 1;
        }
        if (selection.maxThreads() > cpus) {
            System.err.println("jcstress suite: a selected test needs " + selection.maxThreads() + " CPUs and"
                    + " this machine has " + cpus + "; JCStress would skip it silently, so the suite refuses to run");
            return 1;
        }
        System.out.printf("jcstress suite: %s, %d tests (%d controls), in %s%n", o.kind.name().toLowerCase(Locale.ROOT),
                selection.entries().size(), selection.entries().stream().filter(e -> e.control() != null).count(), o.work);
        clean(o.work);
        List<Verdict> verdicts = Verdict.judge(selection,
                runJcstress(o, selection, o.work, o.kind.settings(o.kind.millis())));
        for (int pass = 2; pass <= 1 + RETRIES; pass++) {
            SortedMap<Integer, Selection> again = selection.again(verdicts, o.kind);
            if (again.isEmpty()) {
                break;
            }
            for (Map.Entry<Integer, Selection> g : again.entrySet()) {
                Path dir = o.work.resolve("pass-" + pass + "-" + g.getKey() + "ms");
                String tests = g.getValue().entries().stream().map(Entry::simpleName).collect(Collectors.joining(", "));
                System.out.printf("jcstress suite: pass %d: %s, again for %d ms an iteration, in %s%n", pass, tests,
                        g.getKey(), dir);
                o.later.add("pass " + pass + ": " + tests + " with -time " + g.getKey());
                Files.createDirectories(dir);
                verdicts = Verdict.merge(verdicts, Verdict.judge(g.getValue(),
                        runJcstress(o, g.getValue(), dir, o.kind.settings(g.getKey()))));
            }
            o.passes = pass;
        }
        return report(o, verdicts);
    }

    /**
     * Whether {@code all} (a suite's whole selection, in the checkout at {@code root}) covers
     * every seeded fault; if not, prints each gap to {@code err} and the suite must not run.
     */
    static boolean covered(Selection all, Path root, PrintStream err) {
        List<String> gaps = Coverage.gaps(all, root);
        gaps.forEach(g -> err.println("jcstress suite: coverage gap: " + g));
        if (!gaps.isEmpty()) {
            err.println("jcstress suite: FAIL before running: every seeded fault needs a control here or"
                    + " a reason and the committed tests that catch it elsewhere (Coverage.java)");
        }
        return gaps.isEmpty();
    }

    /**
     * Runs JCStress over {@code selection} with {@code settings} in the empty directory
     * {@code dir} and returns its result file; notes its wall time as the run's next pass time.
     */
    private static Path runJcstress(Options o, Selection selection, Path dir, List<String> settings)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", absoluteClassPath(), "org.openjdk.jcstress.Main",
                "-t", selection.regex(), "-r", "results"));
        cmd.addAll(settings);
        if (Double.isNaN(o.loadBefore)) {
            o.loadBefore = Host.load();
        }
        long start = System.nanoTime();
        Process jcstress = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (!jcstress.waitFor(o.kind.deadline().toMillis(), TimeUnit.MILLISECONDS)) {
            jcstress.descendants().forEach(ProcessHandle::destroyForcibly);
            jcstress.destroyForcibly().waitFor();
            throw new IOException("JCStress did not finish within " + o.kind.deadline().toMinutes()
                    + " min (a hung fork?); it was killed, and its results are not judged");
        }
        int exit = jcstress.exitValue();
        o.passTimes.add(Duration.ofNanos(System.nanoTime() - start));
        o.loadAfter = Host.load();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("jcstress-results-.*\\.bin\\.gz"))
                    .findFirst().orElseThrow(() -> new IOException("JCStress (exit " + exit + ") wrote no"
                            + " result file in " + dir));
        }
    }

    private static int report(Options o, List<Verdict> verdicts) throws IOException {
        String settings = "-t <" + verdicts.size() + " selected tests> "
                + String.join(" ", o.kind.settings(o.kind.millis())) + o.later.stream().map(p -> "; " + p)
                .collect(Collectors.joining());
        String load = String.format(Locale.ROOT, "%.2f when JCStress started, %.2f when it ended", o.loadBefore, o.loadAfter);
        Summary summary = new Summary(o.kind, settings, o.command, o.passTimes, load, verdicts, Host.describe());
        summary.write(o.summary);
        long failed = verdicts.stream().filter(v -> !v.ok()).count();
        System.out.println();
        for (Verdict v : verdicts) {
            System.out.printf("  %-6s %-70s %,12d samples%s%n", v.ok() ? "ok" : "FAIL", v.entry().simpleName(),
                    v.samples(), v.ok() ? (v.passes() > 1 ? " in " + v.passes() + " passes" : "") : ": " + v.problem());
        }
        System.out.printf("jcstress suite: %s; %d tests, %d failed, %d s, %d pass%s; summary in %s%n",
                failed == 0 ? "PASS" : "FAIL", verdicts.size(), failed, Summary.wall(o.passTimes).toSeconds(), o.passes,
                o.passes == 1 ? "" : "es", o.summary);
        return failed == 0 ? 0 : 1;
    }

    /** This JVM's class path with absolute entries: JCStress runs, and forks, in the work directory. */
    private static String absoluteClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static void clean(Path work) throws IOException {
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
    }

    /** Thrown for a command line the suite cannot run. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The parsed command line. */
    private static final class Options {
        Kind kind;
        Path summary;
        Path work;
        Pattern only;
        /** Each JCStress run's wall time: the first pass's, then each later pass's, in order. */
        final List<Duration> passTimes = new ArrayList<>();
        /** Passes made: the first over the whole selection, then up to {@link #RETRIES} more. */
        int passes = 1;
        /** What each later pass ran, as the summary records it. */
        final List<String> later = new ArrayList<>();
        double loadBefore = Double.NaN;
        double loadAfter = Double.NaN;
        /** The command line, as the summary records it. */
        String command;

        static Options parse(String[] args) throws UsageException {
            if (args.length == 0) {
                throw new UsageException("usage: Suite smoke|full|locks [--summary FILE] [--only REGEX] [--work DIR]");
            }
            Options o = new Options();
            o.command = "java -cp jcstress-tests/target/jcstress.jar " + Suite.class.getName() + " " + String.join(" ", args);
            o.kind = kind(args[0]);
            String name = o.kind.name().toLowerCase(Locale.ROOT);
            o.work = Path.of("jcstress-" + name);
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--summary" -> o.summary = Path.of(v).toAbsolutePath().normalize();
                    case "--work" -> o.work = Path.of(v);
                    case "--only" -> o.only = pattern(v);
                    default -> throw new UsageException("unknown option '" + args[i]
                            + "'; known: --summary FILE, --only REGEX, --work DIR");
                }
            }
            o.work = o.work.toAbsolutePath();
            if (o.summary == null) {
                o.summary = o.work.resolve("SUMMARY.md").normalize();
            }
            return o;
        }

        private static Kind kind(String s) throws UsageException {
            try {
                return Kind.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown suite '" + s + "'; allowed: smoke, full, locks");
            }
        }

        private static Pattern pattern(String s) throws UsageException {
            try {
                return Pattern.compile(s);
            } catch (PatternSyntaxException e) {
                throw new UsageException("--only '" + s + "' is not a regular expression: " + e.getDescription());
            }
        }
    }
}
