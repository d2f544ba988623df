package dev.kmapstress.compare;

import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.TortureConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a comparison's rounds: for each comparison group (one workload at one CPU count) its
 * {@link RoundSchedule}, every run in the {@link Fork} of its configuration. A configuration
 * that fails (a broken lock, a hang, a lost round) runs no further rounds: its verdict is known
 * and its time goes to the others.
 *
 * <p>Time. With a total, every run still to come gets an equal share of the time left, so a
 * run that overran (a hang, a slow JVM start) shortens the later ones and the whole never
 * exceeds the total: a run measures for most of its share, its watchdog is the share (at least
 * {@link #MIN_WATCHDOG}), so a hang is reported, with stacks, a share after it began, and a run
 * that has not answered by the time its hang would have been reported is killed with its JVM.
 * A warm-up takes {@link #WARMUP_WEIGHT} rounds' share. Runs too short to measure anything are skipped,
 * and the rounds done say so. Without a total every run lasts the duration given.
 */
public final class RoundRunner {

    /** Shortest run worth measuring. */
    static final Duration MIN_RUN = Duration.ofMillis(100);
    /**
     * Shortest watchdog a round gets: a loaded host deschedules a worker for hundreds of
     * milliseconds, and a lock holder descheduled must not look like a lockup.
     */
    static final Duration MIN_WATCHDOG = Duration.ofSeconds(1);
    /** Longest a fork may take to start (a loaded host starts JVMs slowly). */
    static final Duration FORK_START = Duration.ofSeconds(60);
    /**
     * A warm-up's length in rounds (with a total): a fork's JIT compiles the model during its
     * first seconds, and a round measured while it still does is slow for reasons of its own.
     */
    public static final int WARMUP_WEIGHT = 2;
    /** Part of a run's share it spends measuring; the rest is the fork's round trip and the join. */
    private static final double MEASURED_PART = 0.85;

    /**
     * What to run.
     *
     * @param groups   the comparison groups, each its configurations (they differ in lock and
     *                 wait strategy only), in table order
     * @param rounds   recorded rounds per configuration
     * @param total    the time for everything, or null to give every run {@code duration}
     * @param duration each run's length when there is no total
     * @param warmup   the warm-up's length when there is no total (with one, a warm-up takes
     *                 {@value RoundRunner#WARMUP_WEIGHT} rounds' share)
     * @param seed     seed of the schedule and of each round's own seed
     */
    public record Plan(List<List<TortureConfig>> groups, int rounds, Duration total, Duration duration,
            Duration warmup, long seed) {

        public Plan {
            groups = groups.stream().map(List::copyOf).toList();
            if (rounds < CompareSettings.MIN_ROUNDS) {
                throw new IllegalArgumentException("--rounds " + rounds + ": must be at least " + CompareSettings.MIN_ROUNDS
                        + " (" + MedianInterval.FEWEST_AT_LEVEL + " or more for a 95 % interval and a ranking)");
            }
            if (groups.stream().allMatch(List::isEmpty)) {
                throw new IllegalArgumentException("nothing to compare: no lock strategy and wait strategy given");
            }
            int configurations = groups.stream().mapToInt(List::size).sum();
            Duration least = leastTotal(configurations, rounds);
            if (total != null && total.compareTo(least) < 0) {
                // Refused before anything runs: a comparison that ranks nothing wastes the whole total.
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--total leaves %s for the runs, and %d"
                        + " configurations x (%d rounds + a warm-up of %d rounds' time) need at least %s (a run"
                        + " measures at least %s): give a longer --total or fewer configurations",
                        Durations.format(total), configurations, rankedRounds(rounds), WARMUP_WEIGHT,
                        Durations.format(least), Durations.format(MIN_RUN)));
            }
        }

        /**
         * The time, in whole seconds, the runs need at least for every configuration's warm-up and
         * the rounds it needs to be ranked ({@link #rankedRounds}), each measuring {@link #MIN_RUN}
         * (the total is shared out by weight; a run it cannot fit is skipped). An estimate from
         * below of what ranks every row, not a promise: forks that start slowly take more.
         */
        public static Duration leastTotal(int configurations, int rounds) {
            int weight = configurations * (rankedRounds(rounds) + WARMUP_WEIGHT);
            return Duration.ofSeconds((long) Math.ceil(weight * MIN_RUN.toMillis() / MEASURED_PART / 1000));
        }

        /** The rounds a configuration needs to be ranked: 6, or all when fewer are planned. */
        private static int rankedRounds(int rounds) {
            return Math.min(rounds, MedianInterval.FEWEST_AT_LEVEL);
        }

        /** How many rounds' worth of time the runs take, a warm-up counting {@value #WARMUP_WEIGHT}. */
        public int weight() {
            return groups.stream().mapToInt(List::size).sum() * (rounds + WARMUP_WEIGHT);
        }
    }

    /**
     * The rounds as they ended.
     *
     * @param measured    every configuration with at least one round, a failure or the cut, group by group
     * @param interrupted whether an interruption cut the comparison short
     * @param skipped     runs left out because the total was spent
     */
    public record Outcome(List<Measured> measured, boolean interrupted, int skipped) {
    }

    private final Plan plan;
    private final Function<TortureConfig, List<String>> forkCommand;
    private final Consumer<String> say;
    /** When the total is spent ({@link System#nanoTime()}). */
    private long end;

    /**
     * @param forkCommand the command line starting a JVM that serves rounds of a configuration
     * @param say         receives a line per run
     */
    public RoundRunner(Plan plan, Function<TortureConfig, List<String>> forkCommand, Consumer<String> say) {
        this.plan = plan;
        this.forkCommand = forkCommand;
        this.say = say;
    }

    /** Runs every group's schedule; an interrupt (Ctrl-C) ends it with the rounds so far. */
    public Outcome run() {
        long start = System.nanoTime();
        end = plan.total() == null ? Long.MAX_VALUE : start + plan.total().toNanos();
        int weightLeft = plan.weight();
        int skipped = 0;
        int order = 0;
        List<Measured> out = new ArrayList<>();
        for (int g = 0; g < plan.groups().size(); g++) {
            GroupRun run = new GroupRun(g, plan.groups().get(g));
            try {
                for (RoundSchedule.Slot slot : RoundSchedule.of(run.configs.size(), plan.rounds(),
                        plan.seed() + g).slots()) {
                    int weight = slot.warmup() ? WARMUP_WEIGHT : 1;
                    int left = weightLeft;
                    weightLeft -= weight;
                    if (run.failure[slot.configuration()] != null) {
                        continue;
                    }
                    Share share = null;
                    if (plan.total() != null) {
                        share = share(left, weight);
                        if (share == null) {
                            skipped++;
                            continue;
                        }
                    }
                    if (!run.run(slot, share, slot.warmup() ? 0 : order + 1)) {
                        skipped++;
                    } else if (!slot.warmup()) {
                        order++;
                    }
                }
            } catch (InterruptedException e) {
                run.close();
                out.addAll(run.measured());
                return new Outcome(out, true, skipped);
            }
            run.close();
            out.addAll(run.measured());
        }
        return new Outcome(out, false, skipped);
    }

    /**
     * One run's time: how long it measures, its watchdog, and by when it must have answered.
     */
    private record Share(Duration duration, Duration watchdog, long deadlineNanos) {
    }

    /**
     * How long after its start a run that hangs has answered at the latest: its length, the
     * watchdog's detection (one and a half timeouts), the runner's wait for stuck workers (two
     * timeouts and a second) and a second for the fork's round trip.
     */
    static long hangReported(Duration d, Duration watchdog) {
        return d.plus(watchdog.multipliedBy(4)).plusSeconds(2).toNanos();
    }

    /**
     * The share of the next run, of {@code weight} rounds' time, with {@code weightLeft} rounds'
     * time (it included) still to come; null if too short to measure.
     */
    private Share share(int weightLeft, int weight) {
        long now = System.nanoTime();
        long each = (end - now) / weightLeft * weight;
        Duration d = Duration.ofMillis((long) (each * MEASURED_PART / 1_000_000));
        if (d.compareTo(MIN_RUN) < 0) {
            return null;
        }
        Duration w = Duration.ofNanos(each);
        w = w.compareTo(MIN_WATCHDOG) < 0 ? MIN_WATCHDOG : w;
        return new Share(d, w, Math.min(end, now + Math.max(2 * each, hangReported(d, w))));
    }

    /** The runs of one comparison group: its configurations, their forks and their rounds. */
    private final class GroupRun {
        final int group;
        final List<TortureConfig> configs;
        final Fork[] forks;
        final List<List<Round>> rounds = new ArrayList<>();
        final String[] failure;
        final String[] replay;
        int cut = -1;

        GroupRun(int group, List<TortureConfig> configs) {
            this.group = group;
            this.configs = configs;
            this.forks = new Fork[configs.size()];
            this.failure = new String[configs.size()];
            this.replay = new String[configs.size()];
            configs.forEach(c -> rounds.add(new ArrayList<>()));
        }

        /** Runs one slot; false if it could not run for want of time. */
        boolean run(RoundSchedule.Slot slot, Share share, int order) throws InterruptedException {
            int c = slot.configuration();
            TortureConfig config = configs.get(c);
            Duration d = share != null ? share.duration() : slot.warmup() ? plan.warmup() : plan.duration();
            if (d.isZero()) {
                return true;
            }
            Duration w = share != null ? share.watchdog() : config.watchdog();
            long deadline = share != null ? share.deadlineNanos() : System.nanoTime() + hangReported(d, w);
            Round r;
            try {
                if (forks[c] == null || !forks[c].alive()) {
                    long started = System.nanoTime();
                    forks[c] = Fork.start(forkCommand.apply(config), Math.min(end, started + FORK_START.toNanos()));
                    // The start is not the run's time: it moves the run's deadline.
                    deadline += System.nanoTime() - started;
                }
                r = forks[c].run(d.toMillis(), w.toMillis(), seed(c, slot.round()), Math.min(end, deadline));
            } catch (InterruptedException e) {
                cut = c;
                throw e;
            } catch (IOException e) {
                if (System.nanoTime() >= end) {
                    // The total was spent while the JVM started: a skipped run, not a failure.
                    return false;
                }
                r = Round.lost(e.getMessage(), false);
            }
            String what = slot.warmup() ? "warm-up" : "round " + slot.round();
            say.accept(String.format(Locale.ROOT, "%s %s, %s: %.0f maps/s, p99 %d ns, %s%s", label(config), what,
                    Durations.format(d), r.mapsPerSecond(), r.p99(), r.verdict(),
                    r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
            if (!slot.warmup() && !r.interrupted()) {
                rounds.get(c).add(r.at(order, slot.round()));
            }
            if (r.interrupted()) {
                cut = c;
                throw new InterruptedException();
            }
            if (!r.success()) {
                failure[c] = (slot.warmup() ? "warm-up: " : "round " + slot.round() + ": ") + r.reason();
                replay[c] = r.replay();
                if (forks[c] != null) {
                    forks[c].close();
                    forks[c] = null;
                }
            }
            return true;
        }

        /** A seed of its own for each configuration's every round, all following from the plan's. */
        private long seed(int c, int round) {
            return new SplittableRandom(plan.seed() ^ (((long) group << 40) | ((long) c << 20) | round)).nextLong()
                    >>> 1;
        }

        /** Ends every fork, all at once, and waits until each is gone. */
        void close() {
            for (Fork f : forks) {
                if (f != null) {
                    f.endInput();
                }
            }
            for (int c = 0; c < forks.length; c++) {
                if (forks[c] != null) {
                    forks[c].close();
                    forks[c] = null;
                }
            }
        }

        List<Measured> measured() {
            List<Measured> m = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                if (!rounds.get(c).isEmpty() || failure[c] != null || cut == c) {
                    m.add(new Measured(group, configs.get(c), rounds.get(c), failure[c] == null ? "" : failure[c],
                            replay[c] == null ? "" : replay[c], cut == c));
                }
            }
            return m;
        }
    }

    /** {@code lock/wait workload N CPUs}, as the output names a configuration. */
    static String label(TortureConfig c) {
        return c.machine().lock() + "/" + c.machine().waitStrategy() + " " + c.workload() + " "
                + c.machine().cpus() + " CPUs";
    }
}
