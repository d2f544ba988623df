package dev.kmapstress.bench;

import dev.kmapstress.report.JmhFiles;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
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
 * {@code -f}, {@code -wi}, …); {@code -rf}/{@code -rff} are refused, since this writes the file.
 * Exit status: 0 done, 1 a run failed, 2 bad arguments.
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
        try {
            List<Integer> counts = a.threads;
            for (int i = 0; i < counts.size(); i++) {
                results.addAll(runAt(a, counts.get(i)));
                save(a.out, env, i == counts.size() - 1, results);
            }
        } catch (RunnerException | IOException e) {
            System.err.println("RunMatrix: " + e.getMessage() + (results.isEmpty() ? ""
                    : "; the results so far are in " + a.out + " (marked incomplete)"));
            return 1;
        }
        System.out.println("RunMatrix: wrote " + results.size() + " results to " + a.out);
        return 0;
    }

    /** One JMH run at {@code threads}, leaving out group benchmarks already run at this rounded count. */
    private static List<RunResult> runAt(Arguments a, int threads) throws RunnerException {
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
        return new ArrayList<>(new Runner(options.build()).run());
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
                    default -> rest.add(args[i]);
                }
            }
            a.threads = List.copyOf(new LinkedHashSet<>(a.threads));
            try {
                a.jmh = new CommandLineOptions(rest.toArray(new String[0]));
            } catch (CommandLineOptionException e) {
                throw new IllegalArgumentException("JMH option: " + e.getMessage());
            }
            a.benchmarks = new ArrayList<>(BenchmarkList.defaultList().find(
                    OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                    a.jmh.getIncludes(), a.jmh.getExcludes()));
            if (a.benchmarks.isEmpty()) {
                throw new IllegalArgumentException("no benchmark matches " + a.jmh.getIncludes()
                        + "; list them with java -jar benchmarks/target/benchmarks.jar -l");
            }
            return a;
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
