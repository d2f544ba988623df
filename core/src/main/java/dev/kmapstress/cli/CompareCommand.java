package dev.kmapstress.cli;

import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.compare.Compare;
import dev.kmapstress.compare.CompareResult;
import dev.kmapstress.compare.CompareTable;
import dev.kmapstress.results.CompareFile;
import dev.kmapstress.results.Environment;
import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.torture.Durations;
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
import java.util.Set;
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
        modelTransformer = SettingOptions.class,
        description = {"Runs the same torture workload for each lock strategy and wait strategy and prints"
                + " a table (maps/s, latency percentiles, fairness, waits, verdict) fastest first;"
                + " writes JSON and PNG charts to --out."})
final class CompareCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--locks", split = ",", paramLabel = "NAME",
            description = "Lock strategies to compare (default: every registered strategy that is not"
                    + " deliberately broken).")
    List<String> locks;

    @Option(names = "--wait-strategies", split = ",", paramLabel = "NAME",
            description = "Wait strategies to compare (default: every one this build has).")
    List<String> waitStrategies;

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
        Duration total = this.total == null ? null : Durations.positive("--total", this.total);
        int count = lockNames.size() * waitNames.size();
        List<TortureConfig> runs = new ArrayList<>();
        for (String lock : lockNames) {
            for (String wait : waitNames) {
                runs.add(options.build(b -> (total == null ? b : b.duration(Compare.share(total, warm, count)))
                        .lock(lock).waitStrategy(wait)));
            }
        }
        Duration each = runs.get(0).duration();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": is a file; must be a directory");
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("compare: %d runs of %s each (%s), seed %d%n", runs.size(), Durations.format(each),
                runs.get(0).describe(Set.of(MachineConfig.LOCK, MachineConfig.WAIT_STRATEGY, TortureConfig.SEED)),
                runs.get(0).seed());
        w.flush();
        Environment env = Environment.capture(Main.command(spec), "");
        try (CtrlC c = CtrlC.interruptsThisThread()) {
            CompareResult result = new Compare(runs, warm, line -> {
                w.println(line);
                w.flush();
            }).run();
            CompareTable.text(result.rows()).forEach(w::println);
            String base = "compare-" + runs.get(0).machine().profile().id() + "-" + LocalDateTime.now().format(STAMP);
            CompareFile file = ResultsFiles.writeCompare(out, base, new CompareFile(null, env.finished(), result));
            w.println("results: " + file.source() + ", charts: " + String.join(", ", file.comparison().charts()));
            w.flush();
            return result.success() && !result.interrupted() ? 0 : 1;
        }
    }

    /** Refuses what the options cannot mean together, naming the option the user typed. */
    private void validate() {
        if (total != null && spec.commandLine().getParseResult().hasMatchedOption("--duration")) {
            throw new IllegalArgumentException("--duration " + SettingOptions.text(spec, TortureConfig.DURATION)
                    + " with --total " + total
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
}
