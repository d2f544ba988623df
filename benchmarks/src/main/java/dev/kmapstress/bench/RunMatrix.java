package dev.kmapstress.bench;

import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.report.JmhFiles;
import dev.kmapstress.results.AtomicFiles;
import dev.kmapstress.results.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH matrix once per thread count and writes all results into one file, JMH's own
 * JSON array as JMH writes it (so JMH's tools open it), with the environment in the sidecar
 * {@code NAME.env.json} (JDK, OS, CPU model and count, date, this command, load average; see
 * {@link JmhFiles}), both atomically, after every thread count, so an interrupted run still
 * leaves what it measured (marked incomplete).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.kmapstress.bench.RunMatrix \
 *     [--threads 1,2,max] [--out results/jmh/NAME.json] [--note TEXT] [JMH options] [REGEX ...]
 * </pre>
 * JMH's own {@code -t} takes one count; {@code --threads} takes a list ({@code max} is this
 * machine's CPU count). A {@code @Group} benchmark runs whole groups, so it runs once per
 * distinct group-rounded count. Every other option goes to JMH ({@code -p}, {@code -prof gc},
 * {@code -f}, {@code -wi}, …); {@code -rf}/{@code -rff} are refused, since this writes the file,
 * {@code -o} too (JMH's output goes to standard output), and {@code -p lock=} takes only
 * registered lock strategies.
 *
 * <p>JMH reports a benchmark that fails (an exception in it or its setup) and goes on to the
 * next without it, exiting 0; this notes what JMH starts, so a benchmark that has no result
 * is named at the end and fails the run, the others' results still written. A run with no
 * result at all writes nothing. Exit status: 0 done, 1 a benchmark failed or nothing was
 * measured, 2 bad arguments.
 */
public final class RunMatrix {

    private RunMatrix() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RunMatrix: " + e.getMessage());
            return 2;
        }
        Environment env = Environment.capture(command(args), a.note);
        List<RunResult> results = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            List<Integer> counts = a.threads;
            for (int i = 0; i < counts.size(); i++) {
                results.addAll(runAt(a, counts.get(i), failed));
                if (!results.isEmpty()) {
                    save(a.out, env, i == counts.size() - 1 && failed.isEmpty(), results);
                }
            }
        } catch (RunnerException | IOException e) {
            System.err.println("RunMatrix: " + e.getMessage() + (results.isEmpty() ? ""
                    : "; the results so far are in " + a.out + " (marked incomplete)"));
            return 1;
        }
        if (results.isEmpty()) {
            System.err.println("RunMatrix: no results, nothing written: " + (failed.isEmpty() ? "no benchmark ran"
                    : "every benchmark failed (JMH's <failure> output above says why)"));
            return 1;
        }
        System.out.println("RunMatrix: wrote " + results.size() + " results to " + a.out);
        if (!failed.isEmpty()) {
            System.err.println("RunMatrix: " + failed.size() + " benchmark(s) failed and have no results in " + a.out
                    + " (marked incomplete; JMH's <failure> output above says why): " + String.join(", ", failed));
            return 1;
        }
        return 0;
    }

    /**
     * One JMH run at {@code threads}, leaving out group benchmarks already run at this rounded
     * count; adds each benchmark that JMH started but has no result ({@code BenchmarkParams.id()},
     * with the thread count) to {@code failed}.
     */
    private static List<RunResult> runAt(Arguments a, int threads, List<String> failed) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(a.jmh).threads(threads);
        int selected = 0;
        for (BenchmarkListEntry e : a.benchmarks) {
            int group = groupSize(a, e);
            int actual = Math.max(group, (threads + group - 1) / group * group);
            Set<Integer> counts = a.groupCountsRun.computeIfAbsent(e.getUsername(), k -> new HashSet<>());
            if (group > 1 && !counts.add(actual)) {
                options.exclude("^" + Pattern.quote(e.getUsername()) + "$");
            } else {
                selected++;
            }
        }
        if (selected == 0) {
            return List.of();
        }
        System.out.println("RunMatrix: " + selected + " benchmark(s) at " + threads + " thread(s)");
        StartsNoted out = new StartsNoted(OutputFormatFactory.createFormatInstance(System.out,
                a.jmh.verbosity().orElse(VerboseMode.NORMAL)));
        List<RunResult> results = new ArrayList<>(new Runner(options.build(), out).run());
        Set<BenchmarkParams> measured = results.stream().map(RunResult::getParams).collect(Collectors.toSet());
        out.started.stream().filter(p -> !measured.contains(p))
                .forEach(p -> failed.add(p.id() + " at " + threads + " thread(s)"));
        return results;
    }

    private static int groupSize(Arguments a, BenchmarkListEntry e) {
        int[] groups = a.jmh.getThreadGroups().orElse(e.getThreadGroups());
        return Arrays.stream(groups).sum();
    }

    private static void save(Path out, Environment env, boolean complete, List<RunResult> results)
            throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(json, true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        JmhFiles.write(out, env.finished(), complete, json.toString(StandardCharsets.UTF_8));
    }

    /** JMH's own output on standard output, noting every benchmark JMH starts (with its parameters). */
    static final class StartsNoted implements OutputFormat {
        final List<BenchmarkParams> started = new ArrayList<>();
        private final OutputFormat jmh;

        StartsNoted(OutputFormat jmh) {
            this.jmh = jmh;
        }

        @Override
        public void startBenchmark(BenchmarkParams params) {
            started.add(params);
            jmh.startBenchmark(params);
        }

        @Override
        public void iteration(BenchmarkParams params, IterationParams iteration, int n) {
            jmh.iteration(params, iteration, n);
        }

        @Override
        public void iterationResult(BenchmarkParams params, IterationParams iteration, int n, IterationResult r) {
            jmh.iterationResult(params, iteration, n, r);
        }

        @Override
        public void endBenchmark(BenchmarkResult result) {
            jmh.endBenchmark(result);
        }

        @Override
        public void startRun() {
            jmh.startRun();
        }

        @Override
        public void endRun(Collection<RunResult> results) {
            jmh.endRun(results);
        }

        @Override
        public void print(String s) {
            jmh.print(s);
        }

        @Override
        public void println(String s) {
            jmh.println(s);
        }

        @Override
        public void flush() {
            jmh.flush();
        }

        /** Flushes only: JMH closes its output after each run, and standard output serves the next. */
        @Override
        public void close() {
            jmh.flush();
        }

        @Override
        public void verbosePrintln(String s) {
            jmh.verbosePrintln(s);
        }

        @Override
        public void write(int b) {
            jmh.write(b);
        }

        @Override
        public void write(byte[] b) throws IOException {
            jmh.write(b);
        }
    }

    /** The command line as a shell would take it, for the results file. */
    private static String command(String[] args) {
        StringBuilder sb = new StringBuilder("java -cp " + System.getProperty("java.class.path") + " "
                + RunMatrix.class.getName());
        for (String arg : args) {
            boolean plain = arg.matches("[A-Za-z0-9_./,=:@%+-]+");
            sb.append(' ').append(plain ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** The launcher's own options, split from JMH's. */
    static final class Arguments {
        List<Integer> threads = List.of(1, 2, Runtime.getRuntime().availableProcessors());
        Path out = Path.of("results", "jmh", "jmh-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        String note = "";
        CommandLineOptions jmh;
        List<BenchmarkListEntry> benchmarks;
        final Map<String, Set<Integer>> groupCountsRun = new HashMap<>();

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--threads" -> a.threads = threadCounts(value(args, ++i, "--threads"));
                    case "--out" -> a.out = Path.of(value(args, ++i, "--out"));
                    case "--note" -> a.note = value(args, ++i, "--note");
                    case "-t", "-rf", "-rff" -> throw new IllegalArgumentException(args[i] + " is not accepted"
                            + " here: use --threads LIST for thread counts; the results file is --out FILE");
                    case "-o" -> throw new IllegalArgumentException("-o is not accepted here: JMH's output goes to"
                            + " standard output; redirect that");
                    default -> rest.add(args[i]);
                }
            }
            a.threads = List.copyOf(new LinkedHashSet<>(a.threads));
            // Refused now, not after the first thread count's run, which can take hours.
            AtomicFiles.cannotWrite(a.out).ifPresent(why -> {
                throw new IllegalArgumentException("--out " + a.out + ": " + why
                        + "; must be a file in a directory that can be written");
            });
            try {
                a.jmh = new CommandLineOptions(rest.toArray(new String[0]));
            } catch (CommandLineOptionException e) {
                throw new IllegalArgumentException("JMH option: " + e.getMessage());
            }
            lockParameter(a.jmh);
            a.benchmarks = new ArrayList<>(BenchmarkList.defaultList().find(
                    OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                    a.jmh.getIncludes(), a.jmh.getExcludes()));
            if (a.benchmarks.isEmpty()) {
                throw new IllegalArgumentException("no benchmark matches " + a.jmh.getIncludes()
                        + "; list them with java -jar benchmarks/target/benchmarks.jar -l");
            }
            return a;
        }

        /**
         * Refuses a {@code -p lock=} value no lock strategy is registered under: every benchmark
         * of the lock would fail in its setup, after the JVM and JMH had started.
         */
        private static void lockParameter(CommandLineOptions jmh) {
            Collection<String> locks = jmh.getParameter("lock").orElse(List.of());
            for (String lock : locks) {
                try {
                    LockRegistry.standard().get(lock);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("-p lock=" + String.join(",", locks) + ": " + e.getMessage());
                }
            }
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        /** {@code 1,2,max}: positive counts, {@code max} being this machine's CPU count. */
        static List<Integer> threadCounts(String list) {
            return Arrays.stream(list.split(",")).map(String::trim).map(s -> {
                if (s.equals("max")) {
                    return Runtime.getRuntime().availableProcessors();
                }
                try {
                    int n = Integer.parseInt(s);
                    if (n >= 1) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // reported below with the allowed values
                }
                throw new IllegalArgumentException("--threads " + list + ": '" + s
                        + "' is not a positive integer or max");
            }).collect(Collectors.toList());
        }
    }
}
