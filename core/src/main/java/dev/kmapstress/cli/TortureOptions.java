package dev.kmapstress.cli;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.torture.BootSizing;
import dev.kmapstress.torture.Durations;
import dev.kmapstress.torture.StutterSpec;
import dev.kmapstress.torture.TortureConfig;
import dev.kmapstress.torture.Workload;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options {@code torture} and {@code compare} share: the machine and the workload. Values
 * are taken as text and parsed by {@link #builder()}, so every refusal is one line naming the
 * option, the value and what is allowed (exit 2), never a usage dump.
 */
final class TortureOptions {

    /** A MachineConfig refusal, {@code key=value: why}, to be respelled as an option. */
    private static final Pattern SETTING = Pattern.compile("([a-z-]+)=(\\S*): (.*)");

    @Option(names = "--profile", defaultValue = "x86-pae",
            description = "Kernel profile: " + "x86-pae, x86-4g, arm-like, aliasing-cache (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--cpus", paramLabel = "N",
            description = "CPUs, one worker thread each (default: this machine's processors, at most the profile's NR_CPUS).")
    String cpus;

    @Option(names = "--highmem-pages", paramLabel = "N",
            description = "Highmem pages (default: " + TortureConfig.DEFAULT_PAGES_PER_SLOT + " per PKMAP slot).")
    String highmemPages;

    @Option(names = "--last-pkmap", paramLabel = "N",
            description = "PKMAP window slots, a power of two (default: " + TortureConfig.DEFAULT_LAST_PKMAP
                    + ", or the profile's LAST_PKMAP if smaller: a small window keeps the flush and sleep paths busy).")
    String lastPkmap;

    @Option(names = "--boot", paramLabel = "FILE",
            description = "Size the machine from a boot: a kernel boot log, or an e820 map booted as --profile;"
                    + " its profile, lowmem and highmem pages (at most " + BootSizing.HIGHMEM_CAP
                    + ") and the profile's real PKMAP window.")
    String boot;

    @Option(names = "--workload", paramLabel = "SPEC",
            description = "What rounds do: persistent, local, atomic, copy, mixed (equal shares) or"
                    + " mixed:NAME=WEIGHT,... (default: " + TortureConfig.DEFAULT_WORKLOAD + " for torture,"
                    + " persistent for compare).")
    String workload;

    @Option(names = "--hold", defaultValue = TortureConfig.DEFAULT_HOLD, paramLabel = "P",
            description = "Probability that a round holds its mappings for --long-hold (default: ${DEFAULT-VALUE}).")
    String hold;

    @Option(names = "--long-hold", defaultValue = TortureConfig.DEFAULT_LONG_HOLD, paramLabel = "DURATION",
            description = "Length of a long hold, at most a quarter of --watchdog (default: ${DEFAULT-VALUE}).")
    String longHold;

    @Option(names = "--stutter", defaultValue = TortureConfig.DEFAULT_STUTTER, paramLabel = "RUN[/PAUSE]",
            description = "Run for RUN, then pause every worker for PAUSE, over and over; 'off' disables"
                    + " (default: ${DEFAULT-VALUE}).")
    String stutter;

    @Option(names = "--irq", description = "Inject interrupts that map pages from hard-IRQ context.")
    boolean irq;

    @Option(names = "--tasks-per-cpu", paramLabel = "N",
            description = "Tasks per CPU, preempted between steps with kmap_local's context-switch hooks"
                    + " (default: " + TortureConfig.DEFAULT_TASKS_PER_CPU + " for torture, 1 for compare).")
    String tasksPerCpu;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: a new one, printed).")
    String seed;

    @Option(names = "--fault", paramLabel = "NAME", description = "Seeded fault to switch on, repeatable.")
    List<String> faults = List.of();

    @Option(names = "--stat-interval", defaultValue = TortureConfig.DEFAULT_STAT_INTERVAL, paramLabel = "DURATION",
            description = "Time between statistics lines (default: ${DEFAULT-VALUE}).")
    String statInterval;

    @Option(names = "--watchdog", defaultValue = TortureConfig.DEFAULT_WATCHDOG, paramLabel = "DURATION",
            description = "Hung-task and lockup timeout (default: ${DEFAULT-VALUE}).")
    String watchdog;

    @Option(names = "--quiet", description = "Plain lines, no progress bar (also when output is not a terminal).")
    boolean quiet;

    /**
     * A configuration builder holding these options, with the command's defaults for those not
     * given; build() checks the combination.
     */
    TortureConfig.Builder builder(String defaultWorkload, int defaultTasksPerCpu) {
        Profile p = prefixed("--profile", profile, Profile::parse);
        TortureConfig.Builder b = TortureConfig.builder(p);
        if (boot != null) {
            b.boot(boot, BootSizing.machine(boot, InputFiles.read("--boot", boot), p));
        }
        if (cpus != null) {
            b.cpus(whole("--cpus", cpus));
        }
        if (highmemPages != null) {
            b.highmemPages(whole("--highmem-pages", highmemPages));
        }
        if (lastPkmap != null) {
            b.lastPkmap(whole("--last-pkmap", lastPkmap));
        }
        b.workload(Workload.parse(workload != null ? workload : defaultWorkload))
                .hold(probability("--hold", hold))
                .longHold(Durations.parse("--long-hold", longHold))
                .stutter(StutterSpec.parse(stutter))
                .irq(irq)
                .tasksPerCpu(tasksPerCpu != null ? whole("--tasks-per-cpu", tasksPerCpu) : defaultTasksPerCpu)
                .statInterval(Durations.positive("--stat-interval", statInterval))
                .watchdog(Durations.positive("--watchdog", watchdog));
        if (seed != null) {
            b.seed(number("--seed", seed));
        }
        for (String f : faults) {
            b.fault(prefixed("--fault", f, Fault::parse));
        }
        return b;
    }

    /**
     * Builds the configuration, respelling a machine setting's refusal ({@code lock=x: ...}) as
     * the option the user typed ({@code --lock x: ...}).
     */
    static TortureConfig build(TortureConfig.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            Matcher m = SETTING.matcher(e.getMessage());
            if (m.matches()) {
                throw new IllegalArgumentException("--" + m.group(1) + " " + m.group(2) + ": " + m.group(3), e);
            }
            throw e;
        }
    }

    static <T> T prefixed(String option, String value, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + value + ": " + e.getMessage(), e);
        }
    }

    static int whole(String option, String value) {
        long n = number(option, value);
        if (n != (int) n) {
            throw new IllegalArgumentException(option + " " + value + ": must be a whole number"
                    + " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": must be a whole number", e);
        }
    }

    private static double probability(String option, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": must be a probability from 0 to 1", e);
        }
    }
}
