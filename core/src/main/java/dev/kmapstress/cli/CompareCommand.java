package dev.kmapstress.cli;

import dev.kmapstress.compare.CompareResult;
import dev.kmapstress.compare.CompareSettings;
import dev.kmapstress.compare.Fork;
import dev.kmapstress.compare.HostCheck;
import dev.kmapstress.compare.MedianInterval;
import dev.kmapstress.compare.RankTable;
import dev.kmapstress.compare.RankedRow;
import dev.kmapstress.compare.Ranking;
import dev.kmapstress.compare.RoundRunner;
import dev.kmapstress.compare.Shard;
import dev.kmapstress.compare.ShardMerge;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.wait.WaitStrategies;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.results.CompareFile;
import dev.kmapstress.results.Environment;
import dev.kmapstress.results.ResultsFiles;
import dev.kmapstress.settings.Setting;
import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmap-stress compare}: every lock x wait strategy x workload x CPU count measured in
 * interleaved rounds, each configuration in a JVM of its own; per workload x CPUs a table of
 * medians with 95 % intervals and rank groups, the split-half check, the best lock per workload
 * x CPUs; a results file ({@code kmap-stress-compare/2}) and charts in {@code --out}. Exit 0 if
 * every configuration passed, 1 if one failed, 2 for bad input (nothing run, nothing written),
 * 130 if Ctrl-C or SIGTERM cut it short (the rounds finished so far are written). Rows with too
 * few rounds to rank change none of these: the status reports the verdicts, which a short row
 * still has, and the table says which rows are unranked and why.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.class,
        description = {"Measures each lock strategy x wait strategy x workload x CPU count in --rounds rounds,"
                + " interleaved in a seeded order, each configuration in a JVM of its own; prints per workload x"
                + " CPUs the median maps/s and kmap p99 with 95 %% intervals and rank groups (1-3: indistinguishable),"
                + " a split-half stability check and the best lock per workload x CPUs; writes JSON and PNG charts"
                + " to --out. --workload and --cpus take comma lists to sweep."})
final class CompareCommand implements Callable<Integer> {

    /** Where results go unless told: a folder git ignores (committed runs name results/... with --out). */
    static final String DEFAULT_OUT = "runs/compare";
    /** Exit status of a comparison cut short (128 + SIGINT, as a shell reports Ctrl-C). */
    static final int INTERRUPTED = 130;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final String MAIN = "dev.kmapstress.cli.Main";

    @Option(names = "--merge", arity = "1..*", paramLabel = "FILE",
            description = "Instead of running: join the results files of shards into one comparison (charts"
                    + " included) in --out.")
    List<Path> merge;

    @Option(names = "--out", defaultValue = DEFAULT_OUT, paramLabel = "DIR",
            description = "Where the JSON results and the charts go (default: ${DEFAULT-VALUE}, ignored by git;"
                    + " name a results/ folder to commit a run).")
    Path out;

    @Mixin
    TortureOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Outputs.directory("--out", out);
        PrintWriter w = spec.commandLine().getOut();
        if (merge != null) {
            return merged(w);
        }
        int rounds = SettingOptions.value(spec, CompareSettings.ROUNDS);
        Duration totalTime = SettingOptions.value(spec, CompareSettings.TOTAL);
        validate();
        Shard slice = SettingOptions.value(spec, CompareSettings.SHARD);
        List<List<TortureConfig>> groups = groups();
        List<TortureConfig> mine = slice.select(groups);
        List<List<TortureConfig>> planned = regroup(mine);
        TortureConfig first = mine.get(0);
        Duration round = first.duration();
        Duration warmup = SettingOptions.value(spec, CompareSettings.WARMUP);
        Duration warm = warmup == null ? round.multipliedBy(2) : warmup;
        RoundRunner.Plan plan = new RoundRunner.Plan(planned, rounds,
                totalTime == null ? null : runnersShare(totalTime, mine.size(), rounds), round, warm, first.seed());
        List<Integer> cpus = cpusList();
        Environment env = Environment.capture(Main.command(spec), "");
        w.printf(Locale.ROOT, "compare: %d configurations x %d rounds (%s), %s; %s; seed %d%s%n",
                mine.size(), rounds, warm.isZero() ? "no warm-up" : "+1 warm-up each",
                totalTime == null ? Durations.format(round) + " per round" : Durations.format(totalTime) + " in all",
                first.describe(Set.of(MachineConfig.LOCK, MachineConfig.WAIT_STRATEGY, TortureConfig.SEED,
                        TortureConfig.WORKLOAD, MachineConfig.CPUS, TortureConfig.DURATION)), first.seed(),
                slice.equals(Shard.WHOLE) ? "" : "; shard " + slice + " of the " + groups.stream().mapToInt(List::size)
                        .sum() + " configurations");
        if (slice.splitsGroups(groups.size())) {
            w.println("WARNING: fewer workload x CPUs groups than shards: a group's configurations run on several"
                    + " machines, and their ranks compare those machines too");
        }
        List<String> startWarnings = HostCheck.warnings(cpus, env.availableProcessors(), env.loadAverage().start(),
                Double.NaN);
        startWarnings.forEach(l -> w.println("WARNING: " + l));
        w.flush();
        String started = OffsetDateTime.now().withNano(0).toString();
        try (CtrlC c = CtrlC.interruptsThisThread()) {
            RoundRunner.Outcome o = new RoundRunner(plan, this::forkCommand, line -> {
                w.println("  " + line);
                w.flush();
            }).run();
            Environment done = env.finished();
            List<String> warnings = HostCheck.warnings(cpus, done.availableProcessors(),
                    done.loadAverage().start(), done.loadAverage().end());
            List<Ranking.Group> ranked = Ranking.of(o.measured().stream().map(RankedRow::of).toList());
            CompareResult result = CompareResult.of(started, o.interrupted(), config(first, plan, totalTime, slice),
                    ranked, warnings, o.skipped());
            int exit = report(w, result, rounds, done, base(first));
            if (c.shuttingDown()) {
                // SIGTERM or Ctrl-C: the file is written; end with the status a shell expects.
                w.flush();
                Runtime.getRuntime().halt(exit);
            }
            return exit;
        }
    }

    /**
     * The runs' part of {@code --total}: what is left of it since this JVM started, less the
     * time to close the forks and write the results (a twentieth, at least a second). Refused,
     * naming the {@code --total} that would do, when it cannot give {@code configurations} their
     * warm-up and ranked rounds ({@link RoundRunner.Plan#leastTotal}).
     */
    private static Duration runnersShare(Duration total, int configurations, int rounds) {
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Duration left = total.minusMillis(sinceStart).minus(reserve(total));
        Duration least = RoundRunner.Plan.leastTotal(configurations, rounds);
        if (left.compareTo(least) < 0) {
            // The reserve grows with the total: solve for both of its forms, and a second for the JVM's clock.
            Duration needed = max(least.plusMillis(sinceStart).plus(reserve(Duration.ZERO)),
                    least.plusMillis(sinceStart).multipliedBy(20).dividedBy(19)).plusSeconds(1);
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--total %s: too short for %d"
                    + " configuration%s warm-ups and ranked rounds (their runs need at least %s); give --total %ds"
                    + " or more, or fewer configurations", Durations.format(total), configurations,
                    configurations == 1 ? "'s" : "s'", Durations.format(least), (needed.toMillis() + 999) / 1000));
        }
        return left;
    }

    /** What {@code --total} keeps back to close the forks and write the results. */
    private static Duration reserve(Duration total) {
        return max(Duration.ofSeconds(1), total.dividedBy(20));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Prints the tables, writes the file and charts; the exit status. */
    private int report(PrintWriter w, CompareResult result, int rounds, Environment env, String base)
            throws IOException {
        w.println();
        RankTable.text(result.groups(), rounds).forEach(w::println);
        if (result.skipped() > 0) {
            w.println("WARNING: " + result.skipped() + " runs skipped: the total was spent (a slow or hung run ate"
                    + " into the others' time); the rows say how many rounds each had");
        }
        result.hostWarnings().forEach(l -> w.println("WARNING: " + l));
        w.printf(Locale.ROOT, "load average %.2f at the start, %.2f at the end; %d processors%n",
                env.loadAverage().start(), env.loadAverage().end(), env.availableProcessors());
        CompareFile file = ResultsFiles.writeCompare(out, base, new CompareFile(null, env, result),
                l -> w.println("WARNING: " + l));
        List<String> charts = file.comparison().charts();
        w.println("results: " + file.source() + (charts.isEmpty() ? ", no charts" : ", charts: "
                + String.join(", ", charts)));
        if (result.interrupted()) {
            w.println("INTERRUPTED: the rounds finished so far are in the file (\"interrupted\": true; the row cut"
                    + " short has \"cut\": true)");
        }
        w.flush();
        return result.interrupted() ? INTERRUPTED : result.success() ? 0 : 1;
    }

    /** {@code compare --merge}: the shards' files joined, ranked again, written with charts. */
    private int merged(PrintWriter w) throws IOException {
        List<CompareFile> files = new ArrayList<>();
        for (Path p : merge) {
            if (!(ResultsFiles.read(p) instanceof CompareFile f) || !f.comparison().config().containsKey("shard")) {
                throw new IllegalArgumentException("--merge " + p + ": not a kmap-stress-compare/2 results file");
            }
            files.add(f);
        }
        CompareResult result = ShardMerge.merge(files.stream().map(CompareFile::comparison).toList(),
                merge.stream().map(Path::toString).toList());
        int rounds = result.config().get(CompareSettings.ROUNDS.key()) instanceof Number n ? n.intValue()
                : SettingOptions.value(spec, CompareSettings.ROUNDS);
        String base = "compare-merged-" + LocalDateTime.now().format(STAMP);
        return report(w, result, rounds, files.get(0).environment(), base);
    }

    /** The configurations, one group per workload x CPU count, each lock x wait strategy in it. */
    private List<List<TortureConfig>> groups() {
        List<String> lockNames = Objects.requireNonNullElseGet(SettingOptions.value(spec, CompareSettings.LOCKS),
                LockRegistry.standard()::realNames);
        List<String> waitNames = Objects.requireNonNullElseGet(
                SettingOptions.value(spec, CompareSettings.WAIT_STRATEGIES), WaitStrategies::names);
        Set<Setting<?>> varied = Set.of(TortureConfig.WORKLOAD, MachineConfig.CPUS);
        List<List<TortureConfig>> groups = new ArrayList<>();
        for (String workload : workloads()) {
            for (Integer n : cpusOrDefault()) {
                List<TortureConfig> g = new ArrayList<>();
                for (String lock : lockNames) {
                    for (String wait : waitNames) {
                        g.add(options.build(varied, b -> {
                            b.set(TortureConfig.WORKLOAD.key(), workload);
                            if (n != null) {
                                b.cpus(n);
                            }
                            return b.lock(lock).waitStrategy(wait);
                        }));
                    }
                }
                groups.add(g);
            }
        }
        return groups;
    }

    /** The selected configurations in their groups again (a shard may hold part of a group). */
    private static List<List<TortureConfig>> regroup(List<TortureConfig> configs) {
        Map<String, List<TortureConfig>> g = new LinkedHashMap<>();
        for (TortureConfig c : configs) {
            g.computeIfAbsent(c.workload() + "/" + c.machine().cpus(), k -> new ArrayList<>()).add(c);
        }
        return List.copyOf(g.values());
    }

    /**
     * The workloads of {@code --workload}, split at commas that start a workload (a mixed spec's
     * own {@code KIND=WEIGHT} shares stay with it).
     */
    private List<String> workloads() {
        String text = SettingOptions.text(spec, TortureConfig.WORKLOAD);
        List<String> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.contains("=") && !part.startsWith("mixed:") && !list.isEmpty()) {
                list.set(list.size() - 1, list.get(list.size() - 1) + "," + part);
            } else {
                list.add(part.trim());
            }
        }
        for (String wl : list) {
            Workload.parse(wl);
        }
        refuseRepeats(TortureConfig.WORKLOAD, text, "workload", list);
        return list;
    }

    /** The CPU counts of {@code --cpus}; a single null (the default) if not given. */
    private List<Integer> cpusOrDefault() {
        String text = SettingOptions.text(spec, MachineConfig.CPUS);
        if (text == null) {
            List<Integer> l = new ArrayList<>();
            l.add(null);
            return l;
        }
        List<Integer> l = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                l.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cpus " + text + ": must be a whole number or a comma list of"
                        + " them, e.g. 1,2,4");
            }
        }
        refuseRepeats(MachineConfig.CPUS, text, "CPU count", l);
        return l;
    }

    /** {@link CompareSettings#once} for a list this command splits itself, naming the option as typed. */
    private static void refuseRepeats(Setting<?> option, String text, String what, List<?> values) {
        try {
            CompareSettings.once(what, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option.option() + " " + text + ": " + e.getMessage(), e);
        }
    }

    private List<Integer> cpusList() {
        return groups().stream().map(g -> g.get(0).machine().cpus()).distinct().toList();
    }

    /** The command of a fork serving rounds of {@code c}: this JVM's java and classpath, torture's options. */
    private List<String> forkCommand(TortureConfig c) {
        List<String> cmd = new ArrayList<>(Fork.java(MAIN));
        List<String> replay = c.replayCommand();
        cmd.addAll(replay.subList(1, replay.size()));
        cmd.add("--serve-rounds");
        return cmd;
    }

    /** The settings every run shared, and the comparison's own. */
    private Map<String, Object> config(TortureConfig first, RoundRunner.Plan plan, Duration total, Shard slice) {
        int rounds = plan.rounds();
        Map<String, Object> m = new LinkedHashMap<>(first.asJson());
        m.remove(MachineConfig.LOCK.key());
        m.remove(MachineConfig.WAIT_STRATEGY.key());
        m.put(TortureConfig.WORKLOAD.key(), SettingOptions.text(spec, TortureConfig.WORKLOAD));
        m.put(MachineConfig.CPUS.key(), cpusList());
        m.put(CompareSettings.ROUNDS.key(), rounds);
        m.put(CompareSettings.TOTAL.key(), total == null ? null : CompareSettings.TOTAL.json(total));
        m.put(CompareSettings.WARMUP.key(), CompareSettings.WARMUP.json(plan.warmup()));
        m.put(CompareSettings.SHARD.key(), CompareSettings.SHARD.json(slice));
        m.put("schedule", "per workload x CPUs: a warm-up of each configuration, then " + rounds
                + " blocks of one round of each, shuffled with the seed; each configuration in a JVM of its own");
        m.put("interval", String.format(Locale.ROOT, "distribution-free: rounds %d to %d of %d sorted, %.1f %%",
                MedianInterval.lowerRank(rounds), rounds + 1 - MedianInterval.lowerRank(rounds), rounds,
                100 * MedianInterval.coverage(rounds)));
        return m;
    }

    private static String base(TortureConfig c) {
        return "compare-" + c.machine().profile().id() + "-" + LocalDateTime.now().format(STAMP);
    }

    /** Refuses what the options cannot mean together, naming the options the user typed. */
    private void validate() {
        String total = SettingOptions.text(spec, CompareSettings.TOTAL);
        if (total == null) {
            return;
        }
        // --total shares itself out: a length given for a round or a warm-up would contradict it.
        Map<Setting<?>, String> lengths = new LinkedHashMap<>();
        lengths.put(TortureConfig.DURATION, "--duration: each round's length; --total: the whole comparison's");
        lengths.put(CompareSettings.WARMUP, "with --total each warm-up takes " + RoundRunner.WARMUP_WEIGHT
                + " rounds' share of the total");
        lengths.forEach((s, why) -> {
            if (spec.commandLine().getParseResult().hasMatchedOption(s.option())) {
                throw new IllegalArgumentException(s.option() + " " + SettingOptions.text(spec, s) + " with "
                        + CompareSettings.TOTAL.option() + " " + total + ": give one (" + why + ")");
            }
        });
    }
}
