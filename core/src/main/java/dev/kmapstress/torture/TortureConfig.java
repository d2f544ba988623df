package dev.kmapstress.torture;

import dev.kmapstress.boot.BootMachine;
import dev.kmapstress.fault.Fault;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a torture run is made of: the machine (a {@link MachineConfig} whose lockup and
 * hung-task timeouts are the run's watchdog), how long it runs, what its rounds do and how
 * they are spiced (long holds, stutter, interrupts, several tasks per CPU), and the seed of
 * every random choice. Immutable; {@link Builder#build()} refuses an impossible combination
 * with an {@link IllegalArgumentException} naming the option and what is allowed.
 *
 * <p>Defaults favour finding bugs over realism: a 16-slot PKMAP window, with a pool of four
 * pages per slot, keeps map_new_virtual wrapping, flushing and sleeping all the time. A real
 * window is one {@code --last-pkmap 512} away.
 */
public final class TortureConfig {

    /** PKMAP slots of a torture machine unless told (or the profile's LAST_PKMAP if smaller). */
    public static final int DEFAULT_LAST_PKMAP = 16;
    /**
     * Highmem pages per PKMAP slot unless told: enough for the workers' pools to come from a
     * few page_address hash buckets (see {@link PageLedger}).
     */
    public static final int DEFAULT_PAGES_PER_SLOT = 128;
    /** Payload words per page: enough to see a torn or stale page, few enough to stay fast. */
    public static final int PAYLOAD_WORDS = 16;
    /** Most mappings one round takes. */
    public static final int MAX_MAPS_PER_ROUND = 16;
    public static final int MAX_TASKS_PER_CPU = 64;

    /** Defaults, in the spelling the command line shows and parses. */
    public static final String DEFAULT_DURATION = "30s";
    public static final String DEFAULT_STAT_INTERVAL = "5s";
    public static final String DEFAULT_WATCHDOG = "5s";
    public static final String DEFAULT_HOLD = "0.01";
    public static final String DEFAULT_LONG_HOLD = "10ms";
    public static final String DEFAULT_STUTTER = "50ms/1ms";
    /** Torture's workload: every activity, persistent kmaps (the only ones that sleep) most. */
    public static final String DEFAULT_WORKLOAD = "mixed:persistent=4,local=2,atomic=1,copy=1";
    public static final int DEFAULT_TASKS_PER_CPU = 2;

    private final MachineConfig machine;
    private final Duration duration;
    private final Duration statInterval;
    private final Duration watchdog;
    private final Workload workload;
    private final double hold;
    private final Duration longHold;
    private final StutterSpec stutter;
    private final boolean irq;
    private final int tasksPerCpu;
    private final long seed;
    private final String boot;
    private final List<String> bootNotes;

    private TortureConfig(Builder b, MachineConfig machine) {
        this.machine = machine;
        this.duration = b.duration;
        this.statInterval = b.statInterval;
        this.watchdog = b.watchdog;
        this.workload = b.workload;
        this.hold = b.hold;
        this.longHold = b.longHold;
        this.stutter = b.stutter;
        this.irq = b.irq;
        this.tasksPerCpu = b.tasksPerCpu;
        this.seed = b.seed;
        this.boot = b.boot;
        this.bootNotes = List.copyOf(b.bootNotes);
    }

    /** A builder with the defaults of a torture run on {@code profile}. */
    public static Builder builder(Profile profile) {
        return new Builder(profile);
    }

    /** A builder holding this configuration, to derive a variant (compare does). */
    public Builder toBuilder() {
        Builder b = new Builder(machine.profile());
        b.cpus = machine.cpus();
        b.highmemPages = machine.highmemPages();
        b.lastPkmap = machine.lastPkmap();
        b.lock = machine.lock();
        b.waitStrategy = machine.waitStrategy();
        b.faults.addAll(machine.faults());
        b.duration = duration;
        b.statInterval = statInterval;
        b.watchdog = watchdog;
        b.workload = workload;
        b.hold = hold;
        b.longHold = longHold;
        b.stutter = stutter;
        b.irq = irq;
        b.tasksPerCpu = tasksPerCpu;
        b.seed = seed;
        b.boot = boot;
        b.lowmemPages = machine.lowmemPages();
        b.bootNotes.addAll(bootNotes);
        return b;
    }

    public MachineConfig machine() { return machine; }
    public Duration duration() { return duration; }
    public Duration statInterval() { return statInterval; }
    /** The hung-task and lockup timeout, of the model's detectors and of the run's watchdog. */
    public Duration watchdog() { return watchdog; }
    public Workload workload() { return workload; }
    /** The probability that a round holds its mappings for {@link #longHold()}. */
    public double hold() { return hold; }
    public Duration longHold() { return longHold; }
    public StutterSpec stutter() { return stutter; }
    /** Whether interrupts that map pages are injected between the workers' steps (--irq, or the workload's). */
    public boolean irq() { return irq || workload.interrupts(); }
    public int tasksPerCpu() { return tasksPerCpu; }
    public long seed() { return seed; }
    /** The boot file the machine was sized from, or null. */
    public String boot() { return boot; }
    /** Where the boot's page counts were scaled down to fit. */
    public List<String> bootNotes() { return bootNotes; }

    /**
     * Most mappings a round takes: every slot of a colour (at most {@value #MAX_MAPS_PER_ROUND}),
     * so that two rounds together often need more slots than there are and one of them sleeps.
     */
    public int mapsPerRound() {
        return Math.min(MAX_MAPS_PER_ROUND, machine.lastPkmap() / machine.colours());
    }

    /** The run's own settings (not the machine's), as results files record them. */
    public Map<String, Object> runSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("duration", Durations.format(duration));
        m.put("workload", workload.toString());
        m.put("hold", hold);
        m.put("long-hold", Durations.format(longHold));
        m.put("stutter", stutter.toString());
        m.put("irq", irq);
        m.put("tasks-per-cpu", tasksPerCpu);
        m.put("seed", seed);
        m.put("stat-interval", Durations.format(statInterval));
        m.put("watchdog", Durations.format(watchdog));
        if (boot != null) {
            m.put("boot", boot);
            m.put("boot-notes", bootNotes);
        }
        return m;
    }

    /** The command that runs this configuration again, with the same seed. */
    public List<String> replayCommand() {
        List<String> a = new ArrayList<>(List.of("./kmap-stress", "torture",
                "--profile", machine.profile().id(), "--cpus", Integer.toString(machine.cpus()),
                "--duration", Durations.format(duration),
                "--highmem-pages", Integer.toString(machine.highmemPages()),
                "--last-pkmap", Integer.toString(machine.lastPkmap()),
                "--lock", machine.lock(), "--wait-strategy", machine.waitStrategy(),
                "--workload", workload.toString(), "--hold", Double.toString(hold),
                "--long-hold", Durations.format(longHold), "--stutter", stutter.toString(),
                "--tasks-per-cpu", Integer.toString(tasksPerCpu),
                "--watchdog", Durations.format(watchdog), "--seed", Long.toString(seed)));
        if (irq) {
            a.add("--irq");
        }
        if (boot != null) {
            a.add("--boot");
            a.add(boot);
        }
        for (Fault f : machine.faults()) {
            a.add("--fault");
            a.add(f.name());
        }
        return a;
    }

    /** One line of {@code key=value} settings, for the start and end lines of a run. */
    public String describe() {
        return String.format("profile=%s cpus=%d lock=%s wait-strategy=%s workload=%s"
                        + " last-pkmap=%d highmem-pages=%d duration=%s hold=%s long-hold=%s stutter=%s"
                        + " irq=%s tasks-per-cpu=%d watchdog=%s seed=%d faults=%s",
                machine.profile().id(), machine.cpus(), machine.lock(), machine.waitStrategy(),
                workload, machine.lastPkmap(), machine.highmemPages(), Durations.format(duration),
                hold, Durations.format(longHold), stutter, irq ? "on" : "off", tasksPerCpu,
                Durations.format(watchdog), seed,
                machine.faults().isEmpty() ? "none" : machine.faults().toString().replaceAll("[\\[\\] ]", ""))
                + (boot == null ? "" : " boot=" + boot + BootSizing.notes(bootNotes));
    }

    /** Collects a run's settings; {@link #build()} checks them together. */
    public static final class Builder {
        private Profile profile;
        private Integer cpus;
        private Integer highmemPages;
        private Integer lastPkmap;
        private Integer lowmemPages;
        private Integer bootHighmemPages;
        private String boot;
        private final List<String> bootNotes = new ArrayList<>();
        private String lock = "ticket";
        private String waitStrategy = "kernel";
        private final Set<Fault> faults = EnumSet.noneOf(Fault.class);
        private Duration duration = Durations.positive("--duration", DEFAULT_DURATION);
        private Duration statInterval = Durations.positive("--stat-interval", DEFAULT_STAT_INTERVAL);
        private Duration watchdog = Durations.positive("--watchdog", DEFAULT_WATCHDOG);
        private Workload workload = Workload.parse(DEFAULT_WORKLOAD);
        private double hold = Double.parseDouble(DEFAULT_HOLD);
        private Duration longHold = Durations.parse("--long-hold", DEFAULT_LONG_HOLD);
        private StutterSpec stutter = StutterSpec.parse(DEFAULT_STUTTER);
        private boolean irq;
        private int tasksPerCpu = DEFAULT_TASKS_PER_CPU;
        private long seed = System.nanoTime();

        private Builder(Profile profile) {
            this.profile = profile;
        }

        public Builder profile(Profile p) { this.profile = p; return this; }
        /** CPUs; unset means this machine's processors, at most the profile's NR_CPUS. */
        public Builder cpus(int n) { this.cpus = n; return this; }
        public Builder highmemPages(int n) { this.highmemPages = n; return this; }
        public Builder lastPkmap(int n) { this.lastPkmap = n; return this; }
        public Builder lock(String name) { this.lock = name; return this; }
        public Builder waitStrategy(String name) { this.waitStrategy = name; return this; }
        public Builder fault(Fault f) { this.faults.add(f); return this; }
        public Builder duration(Duration d) { this.duration = d; return this; }
        public Builder statInterval(Duration d) { this.statInterval = d; return this; }
        public Builder watchdog(Duration d) { this.watchdog = d; return this; }
        public Builder workload(Workload w) { this.workload = w; return this; }
        public Builder hold(double p) { this.hold = p; return this; }
        public Builder longHold(Duration d) { this.longHold = d; return this; }
        public Builder stutter(StutterSpec s) { this.stutter = s; return this; }
        public Builder irq(boolean on) { this.irq = on; return this; }
        public Builder tasksPerCpu(int n) { this.tasksPerCpu = n; return this; }
        public Builder seed(long s) { this.seed = s; return this; }

        /**
         * Sizes the machine from a boot: its profile, its lowmem and highmem page counts
         * (unless {@link #highmemPages} says otherwise) and the profile's real PKMAP window
         * (unless {@link #lastPkmap} does).
         *
         * @param source the boot file, for the start line and the replay command
         */
        public Builder boot(String source, BootMachine sized) {
            this.profile = sized.builder().build().profile();
            this.boot = source;
            this.lowmemPages = sized.lowmemPages();
            this.bootHighmemPages = sized.highmemPages();
            this.bootNotes.clear();
            this.bootNotes.addAll(sized.notes());
            return this;
        }

        /** Checks every setting and builds the configuration and its machine's. */
        public TortureConfig build() {
            positive("--duration", duration);
            positive("--stat-interval", statInterval);
            positive("--watchdog", watchdog);
            if (!(hold >= 0 && hold <= 1)) {
                throw new IllegalArgumentException("--hold " + hold
                        + ": must be a probability from 0 to 1");
            }
            // A long hold keeps other tasks asleep waiting for slots: a chain of them must
            // stay far below the hung-task timeout, or the faithful model would look hung.
            if (longHold.isNegative() || longHold.multipliedBy(4).compareTo(watchdog) > 0) {
                throw new IllegalArgumentException("--long-hold " + Durations.format(longHold)
                        + ": must be from 0 to a quarter of --watchdog ("
                        + Durations.format(watchdog.dividedBy(4)) + ")");
            }
            if (tasksPerCpu < 1 || tasksPerCpu > MAX_TASKS_PER_CPU) {
                throw new IllegalArgumentException("--tasks-per-cpu " + tasksPerCpu + ": must be 1.."
                        + MAX_TASKS_PER_CPU);
            }
            int window = lastPkmap != null ? lastPkmap
                    : boot != null ? profile.lastPkmap() : Math.min(DEFAULT_LAST_PKMAP, profile.lastPkmap());
            MachineConfig.Builder m = MachineConfig.builder(profile)
                    .cpus(cpus != null ? cpus : Math.min(Runtime.getRuntime().availableProcessors(),
                            profile.nrCpus()))
                    .lastPkmap(window)
                    .highmemPages(highmemPages != null ? highmemPages
                            : bootHighmemPages != null ? bootHighmemPages : DEFAULT_PAGES_PER_SLOT * window)
                    .payloadWords(PAYLOAD_WORDS)
                    .lock(lock)
                    .waitStrategy(waitStrategy)
                    .lockupTimeout(watchdog)
                    .hungTaskTimeout(watchdog);
            if (lowmemPages != null) {
                m.lowmemPages(lowmemPages);
            }
            faults.forEach(m::fault);
            MachineConfig machine = m.build();
            if (machine.highmemPages() == 0) {
                throw new IllegalArgumentException("--highmem-pages 0: a torture run needs highmem"
                        + " pages to map; must be at least 1");
            }
            return new TortureConfig(this, machine);
        }

        private static void positive(String option, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " " + Durations.format(d)
                        + ": must be a duration greater than 0");
            }
        }
    }
}
