package dev.kmapstress.cli;

import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.torture.Compare;
import dev.kmapstress.torture.CompareChart;
import dev.kmapstress.torture.CompareResult;
import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.ResultsFiles;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.lock.wait.WaitStrategies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmap-stress compare}: the same torture workload per lock strategy and wait strategy,
 * a table fastest first, and a results file with charts in {@code results/torture/}. Exit 0
 * if every run ended in SUCCESS, 1 otherwise, 2 for bad input (nothing run, nothing written).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the same torture workload for each lock strategy and wait strategy and prints"
                + " a table (maps/s, latency percentiles, fairness, waits, verdict) fastest first;"
                + " writes JSON and PNG charts to --out."})
final class CompareCommand implements Callable<Integer> {

    /** Comparisons are about kmap_lock: persistent kmaps, one task per CPU, unless told. */
    private static final String COMPARE_WORKLOAD = "persistent";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--locks", split = ",", paramLabel = "NAME",
            description = "Lock strategies to compare (default: every registered strategy that is not"
                    + " deliberately broken).")
    List<String> locks;

    @Option(names = "--wait-strategies", split = ",", paramLabel = "NAME",
            description = "Wait strategies to compare (default: every one this build has).")
    List<String> waitStrategies;

    @Option(names = "--duration", defaultValue = "5s", paramLabel = "DURATION",
            description = "Length of each run (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--total", paramLabel = "DURATION",
            description = "Instead of --duration: the time for the whole comparison, warm-up included,"
                    + " shared equally by the runs.")
    String total;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "DURATION",
            description = "Unrecorded warm-up run before the first, so the JIT has compiled the model; 0 for none"
                    + " (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--out", defaultValue = "results/torture", paramLabel = "DIR",
            description = "Where the JSON results and the charts go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    TortureOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        List<String> lockNames = locks != null ? locks : LockRegistry.standard().realNames();
        List<String> waitNames = waitStrategies != null ? waitStrategies : WaitStrategies.names();
        Duration warm = Durations.parse("--warmup", warmup);
        Duration each = total == null ? Durations.positive("--duration", duration)
                : share(Durations.positive("--total", total), warm, lockNames.size() * waitNames.size());
        List<TortureConfig> runs = new ArrayList<>();
        for (String lock : lockNames) {
            for (String wait : waitNames) {
                runs.add(TortureOptions.build(options.builder(COMPARE_WORKLOAD, 1).duration(each).lock(lock)
                        .waitStrategy(wait)));
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": is a file; must be a directory");
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("compare: %d runs of %s each (%s), seed %d%n", runs.size(), Durations.format(each),
                runs.get(0).describe().replaceAll(" lock=\\S+| wait-strategy=\\S+| seed=\\S+", ""), runs.get(0).seed());
        w.flush();
        try (CtrlC c = CtrlC.interruptsThisThread()) {
            CompareResult result = new Compare(runs, warm, line -> {
                w.println(line);
                w.flush();
            }).run();
            Compare.table(result.rows()).forEach(w::println);
            String base = "compare-" + runs.get(0).machine().profile().id() + "-" + LocalDateTime.now().format(STAMP);
            result = result.withCharts(CompareChart.write(out, base, result));
            ResultsFiles.writeJson(out.resolve(base + ".json"), result);
            w.println("results: " + out.resolve(base + ".json") + ", charts: " + String.join(", ", result.charts()));
            w.flush();
            return result.success() && !result.interrupted() ? 0 : 1;
        }
    }

    /** Refuses what the options cannot mean together, naming the option the user typed. */
    private void validate() {
        if (total != null && spec.commandLine().getParseResult().hasMatchedOption("--duration")) {
            throw new IllegalArgumentException("--duration " + duration + " with --total " + total
                    + ": give one (--duration: each run's length; --total: the whole comparison's)");
        }
        for (String lock : locks != null ? locks : List.<String>of()) {
            if (!LockRegistry.standard().contains(lock)) {
                throw new IllegalArgumentException("--locks " + String.join(",", locks) + ": unknown lock strategy '"
                        + lock + "'; known: " + String.join(", ", LockRegistry.standard().names()));
            }
        }
        for (String wait : waitStrategies != null ? waitStrategies : List.<String>of()) {
            if (!WaitStrategies.names().contains(wait)) {
                throw new IllegalArgumentException("--wait-strategies " + String.join(",", waitStrategies)
                        + ": unknown wait strategy '" + wait + "'; known: " + String.join(", ", WaitStrategies.names()));
            }
        }
    }

    /** Each run's share of a total time, after the warm-up. */
    private static Duration share(Duration total, Duration warm, int runs) {
        Duration left = total.minus(warm);
        if (runs == 0 || left.dividedBy(runs).toMillis() < 100) {
            throw new IllegalArgumentException("--total " + Durations.format(total) + ": must leave at least"
                    + " 100ms per run after the warm-up (" + runs + " runs)");
        }
        return Duration.ofMillis(left.dividedBy(runs).toMillis());
    }
}
