package dev.kmapstress.compare;

import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.wait.WaitStrategies;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.settings.Setting;
import dev.kmapstress.torture.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A comparison's own settings, beside those of each of its runs ({@code TortureConfig.SETTINGS}),
 * each declared once as the runs' are: which lock and wait strategies it compares, how many
 * rounds, how its time is shared out, and which slice of it runs here. The command's options,
 * their refusals and the results file's {@code config} come from these entries.
 */
public final class CompareSettings {

    /**
     * The least number of rounds that has a median interval at all. Fewer than the 6 a 95 %
     * interval needs are allowed, for a quick check that every configuration passes: the rows are
     * then shown with their real intervals and left unranked.
     */
    public static final int MIN_ROUNDS = 2;

    public static final Setting<List<String>> LOCKS = Setting.of("locks",
                    names("lock strategy", () -> LockRegistry.standard().names()))
            .byDefault("every registered strategy that is not deliberately broken").options("compare")
            .help("Lock strategies to compare");
    public static final Setting<List<String>> WAIT_STRATEGIES = Setting.of("wait-strategies",
                    names("wait strategy", WaitStrategies::names))
            .byDefault("every one this build has").options("compare")
            .help("Wait strategies to compare");
    public static final Setting<Integer> ROUNDS = Setting.of("rounds",
                    Setting.Type.of(Integer.class, "N", CompareSettings::rounds))
            .byDefault("9").options("compare")
            .help("Recorded rounds per configuration, interleaved with the others' (with 9 the interval is the 2nd"
                    + " to 8th of the 9 sorted rounds, 96 % confidence; 6 is the fewest reaching 95 %, and a"
                    + " configuration with fewer is measured but not ranked)");
    public static final Setting<Duration> TOTAL = Setting.of("total", Durations.POSITIVE)
            .options("compare")
            .help("Instead of --duration: the time for the whole comparison, warm-ups and hung runs included,"
                    + " shared out equally among the runs still to come");
    public static final Setting<Duration> WARMUP = Setting.of("warmup", Durations.OR_ZERO)
            .byDefault("two rounds'; with --total, two rounds' share").options("compare")
            .help("Length of each configuration's unrecorded warm-up run, in which its JVM compiles the model;"
                    + " 0 for none");
    public static final Setting<Shard> SHARD = Setting.of("shard", Setting.Type.of(Shard.class, "K/N", Shard::parse))
            .byDefault("1/1").options("compare")
            .help("Run slice K of N (whole workload x CPUs groups, or whole configurations when there are fewer"
                    + " groups than shards), for several machines, 1/1 being everything; join the files with"
                    + " --merge");

    /** The machine setting each list sweeps: compare sets it per configuration, over any --set. */
    public static final Map<Setting<?>, Setting<?>> SWEPT = Map.of(MachineConfig.LOCK, LOCKS,
            MachineConfig.WAIT_STRATEGY, WAIT_STRATEGIES);

    /** Every setting of a comparison's own, in the order its options are listed. */
    public static final List<Setting<?>> SETTINGS = List.of(LOCKS, WAIT_STRATEGIES, ROUNDS, TOTAL, WARMUP, SHARD);

    private CompareSettings() {
    }

    /** A comma list of names, each one of {@code known} (a {@code what}). */
    private static Setting.Type<List<String>> names(String what, Supplier<List<String>> known) {
        return new Setting.Type<>(listClass(), "NAME", text -> {
            List<String> names = Arrays.stream(text.split(",")).map(String::trim).toList();
            for (String name : names) {
                if (!known.get().contains(name)) {
                    throw new IllegalArgumentException("unknown " + what + " '" + name + "'; known: "
                            + String.join(", ", known.get()));
                }
            }
            once(what, names);
            return names;
        }, names -> String.join(",", names));
    }

    /**
     * Refuses a swept list that gives a value twice: its configurations would be measured twice
     * under one label, rows nobody can tell apart.
     *
     * @param what what the values are, for the message ({@code lock strategy}, {@code CPU count})
     * @throws IllegalArgumentException naming the first value given twice
     */
    public static void once(String what, List<?> values) {
        Set<Object> seen = new HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new IllegalArgumentException(what + " '" + v + "' is given twice; give each once");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<List<String>> listClass() {
        return (Class<List<String>>) (Class<?>) List.class;
    }

    private static int rounds(String text) {
        int n = Setting.Type.INTEGER.parser().apply(text);
        if (n < MIN_ROUNDS) {
            throw new IllegalArgumentException("must be at least " + MIN_ROUNDS + " (9 by default; 6 is the fewest"
                    + " giving a 95 % interval)");
        }
        return n;
    }
}
