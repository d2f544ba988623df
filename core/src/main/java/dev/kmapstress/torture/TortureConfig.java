package dev.kmapstress.torture;

import dev.kmapstress.boot.BootMachine;
import dev.kmapstress.fault.Fault;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.settings.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything a torture run is made of: the machine (a {@link MachineConfig} whose lockup and
 * hung-task timeouts are the run's watchdog) plus the run's own settings, declared once in
 * {@link #RUN_SETTINGS}: how long it runs, what its rounds do and how they are spiced (long
 * holds, stutter, interrupts, several tasks per CPU), and the seed of every random choice.
 * Immutable; {@link Builder#build()} refuses an impossible combination with a
 * {@link ConfigException} naming the setting and what is allowed.
 *
 * <p>Defaults favour finding bugs over realism: a 16-slot PKMAP window, with a pool of
 * {@value #DEFAULT_PAGES_PER_SLOT} pages per slot, keeps map_new_virtual wrapping, flushing and
 * sleeping all the time. A real window is one {@code --last-pkmap 512} away.
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

    public static final Setting<Duration> DURATION = Setting.of("duration", Durations.POSITIVE)
            .byDefault("30s").byDefault("compare", "1s").options("torture", "compare")
            .help("How long to run (for compare: each round, unless --total shares out the time): 500ms, 30s, 10m, 1h");
    /** Torture's workload: every activity, persistent kmaps (the only ones that sleep) most. */
    public static final Setting<Workload> WORKLOAD = Setting.of("workload",
                    Setting.Type.of(Workload.class, "SPEC", Workload::parse))
            .byDefault("mixed:persistent=4,local=2,atomic=1,copy=1")
            .byDefault("compare", "persistent").options("torture", "compare")
            .help("What rounds do: " + Workload.allowed() + " (mixed: equal shares; the kernel users' mixes"
                    + " in 'list workloads'); compare is about kmap_lock, hence persistent kmaps, and sweeps a comma"
                    + " list (hit,migrate; a mixed spec there gives every weight)");
    public static final Setting<Double> HOLD = Setting.of("hold", Setting.Type.PROBABILITY)
            .byDefault("0.01").byDefault("compare", "0").options("torture", "compare")
            .help("Probability that a round holds its mappings for --long-hold (compare: 0, since a hold sleeps"
                    + " with the CPU idle and would time the sleep, not the lock)");
    public static final Setting<Duration> LONG_HOLD = Setting.of("long-hold", Durations.OR_ZERO)
            .byDefault("10ms").options("torture", "compare")
            .help("Length of a long hold, at most a quarter of --watchdog");
    public static final Setting<StutterSpec> STUTTER = Setting.of("stutter",
                    Setting.Type.of(StutterSpec.class, "RUN[/PAUSE]", StutterSpec::parse))
            .byDefault("50ms/1ms").byDefault("compare", "off").options("torture", "compare")
            .help("Run for RUN, then pause every worker for PAUSE, over and over; 'off' disables (compare: off,"
                    + " as pauses idle every CPU alike)");
    public static final Setting<Boolean> IRQ = Setting.of("irq", Setting.Type.BOOLEAN)
            .byDefault("false").options("torture", "compare")
            .help("Inject interrupts that map pages from hard-IRQ context");
    public static final Setting<Integer> TASKS_PER_CPU = Setting.of("tasks-per-cpu", Setting.Type.INTEGER)
            .byDefault("2").byDefault("compare", "1").options("torture", "compare")
            .help("Tasks per CPU, preempted between steps with kmap_local's context-switch hooks");
    public static final Setting<Long> SEED = Setting.of("seed", Setting.Type.LONG)
            .byDefault("a new one, printed").options("torture", "compare")
            .help("Seed of every random choice");
    public static final Setting<Duration> STAT_INTERVAL = Setting.of("stat-interval", Durations.POSITIVE)
            .byDefault("5s").options("torture", "compare").help("Time between statistics lines");
    public static final Setting<Duration> WATCHDOG = Setting.of("watchdog", Durations.POSITIVE)
            .byDefault("5s").options("torture", "compare")
            .help("Hung-task and lockup timeout, of the model's detectors and of the run's watchdog");

    /** The run's own settings, in the order descriptions and results files list them. */
    public static final List<Setting<?>> RUN_SETTINGS = List.of(DURATION, WORKLOAD, HOLD, LONG_HOLD, STUTTER, IRQ,
            TASKS_PER_CPU, SEED, STAT_INTERVAL, WATCHDOG);
    /** Every setting of a torture run: the machine's, then the run's. */
    public static final List<Setting<?>> SETTINGS = Stream.concat(MachineConfig.SETTINGS.stream(),
            RUN_SETTINGS.stream()).toList();

    /**
     * The machine settings a run takes from {@link #WATCHDOG}: the model's detectors report after
     * the run's timeout, and the run's own watchdog waits half a timeout more for their report
     * ({@link RunWatchdog}), so the two are never given apart.
     */
    public static final List<Setting<Duration>> FROM_WATCHDOG = List.of(MachineConfig.LOCKUP_TIMEOUT,
            MachineConfig.HUNG_TASK_TIMEOUT);

    /** Where torture's default for a machine setting differs from the machine's, and why. */
    private static final Map<Setting<?>, String> MACHINE_DEFAULTS = Map.of(
            MachineConfig.CPUS, "this machine's processors, at most the profile's NR_CPUS",
            MachineConfig.HIGHMEM_PAGES, DEFAULT_PAGES_PER_SLOT + " per PKMAP slot",
            MachineConfig.LAST_PKMAP, DEFAULT_LAST_PKMAP + ", or the profile's LAST_PKMAP if smaller:"
                    + " a small window keeps the flush and sleep paths busy",
            MachineConfig.PAYLOAD_WORDS, Integer.toString(PAYLOAD_WORDS),
            MachineConfig.LOCKUP_TIMEOUT, WATCHDOG.option(),
            MachineConfig.HUNG_TASK_TIMEOUT, WATCHDOG.option());

    private final MachineConfig machine;
    private final Map<Setting<?>, Object> run;
    private final String boot;
    private final List<String> bootNotes;

    private TortureConfig(MachineConfig machine, Map<Setting<?>, Object> run, String boot, List<String> bootNotes) {
        this.machine = machine;
        this.run = run;
        this.boot = boot;
        this.bootNotes = List.copyOf(bootNotes);
    }

    /** A builder with the defaults of a torture run on {@code profile}. */
    public static Builder builder(Profile profile) {
        return new Builder(profile);
    }

    /** The default of {@code setting} under {@code command}, as help shows it. */
    public static String defaultText(Setting<?> setting, String command) {
        return MACHINE_DEFAULTS.getOrDefault(setting, setting.defaultText(command));
    }

    /** A builder holding this configuration, to derive a variant (compare does). */
    public Builder toBuilder() {
        Builder b = new Builder(machine.profile());
        b.machine = machine.toBuilder();
        b.run.putAll(run);
        b.boot = boot;
        b.bootNotes.addAll(bootNotes);
        return b;
    }

    public MachineConfig machine() { return machine; }

    /** The value of the run setting {@code setting}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return run.containsKey(setting) ? (T) run.get(setting) : machine.get(setting);
    }

    public Duration duration() { return get(DURATION); }
    public Duration statInterval() { return get(STAT_INTERVAL); }
    /** The hung-task and lockup timeout, of the model's detectors and of the run's watchdog. */
    public Duration watchdog() { return get(WATCHDOG); }
    public Workload workload() { return get(WORKLOAD); }
    /** The probability that a round holds its mappings for {@link #longHold()}. */
    public double hold() { return get(HOLD); }
    public Duration longHold() { return get(LONG_HOLD); }
    public StutterSpec stutter() { return get(STUTTER); }
    /** Whether interrupts that map pages are injected between the workers' steps (--irq, or the workload's). */
    public boolean irq() { return get(IRQ) || workload().interrupts(); }
    public int tasksPerCpu() { return get(TASKS_PER_CPU); }
    public long seed() { return get(SEED); }
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

    /** Every setting as results files record it: the machine's, the run's, and the boot. */
    public Map<String, Object> asJson() {
        Map<String, Object> m = new LinkedHashMap<>(machine.asJson());
        RUN_SETTINGS.forEach(s -> m.put(s.key(), json(s)));
        if (boot != null) {
            m.put("boot", boot);
            m.put("boot-notes", bootNotes);
        }
        return m;
    }

    private <T> Object json(Setting<T> s) {
        return s.json(get(s));
    }

    private <T> String text(Setting<T> s) {
        return s.format(get(s));
    }

    /** The command that runs this configuration again, with the same seed. */
    public List<String> replayCommand() {
        List<String> a = new ArrayList<>(List.of("./kmap-stress", "torture"));
        for (Setting<?> s : SETTINGS) {
            if (!s.optionOf("torture")) {
                // A switch of the machine given by --set (lockdep, lock-statistics, ...).
                if (s.type() == Setting.Type.BOOLEAN && !get(s).equals(s.defaultValue())) {
                    a.addAll(List.of("--set", s.key() + "=" + text(s)));
                }
                continue;
            }
            if (s == MachineConfig.FAULT) {
                machine.faults().forEach(f -> a.addAll(List.of(s.option(), f.name())));
            } else if (s.type() == Setting.Type.BOOLEAN) {
                if ((Boolean) get(s)) {
                    a.add(s.option());
                }
            } else {
                a.addAll(List.of(s.option(), text(s)));
            }
        }
        if (boot != null) {
            a.addAll(List.of("--boot", boot));
        }
        return a;
    }

    /** One line of {@code key=value} settings, for the start and end lines of a run. */
    public String describe() {
        return describe(Set.of());
    }

    /** {@link #describe()} without {@code leftOut}: what several runs share (compare). */
    public String describe(Set<Setting<?>> leftOut) {
        return SETTINGS.stream().filter(s -> s.optionOf("torture") && !leftOut.contains(s))
                .map(s -> s.key() + "=" + text(s)).collect(Collectors.joining(" "))
                + (boot == null ? "" : " boot=" + boot + BootSizing.notes(bootNotes));
    }

    /** Collects a run's settings; {@link #build()} checks them together. */
    public static final class Builder {
        private MachineConfig.Builder machine;
        private final Map<Setting<?>, Object> run = new HashMap<>();
        private Integer bootHighmemPages;
        private String boot;
        private final List<String> bootNotes = new ArrayList<>();

        private Builder(Profile profile) {
            this.machine = MachineConfig.builder(profile);
        }

        /** Sets {@code setting}, the machine's or the run's, to {@code value}. */
        public <T> Builder set(Setting<T> setting, T value) {
            if (MachineConfig.SETTINGS.contains(setting)) {
                machine.set(setting, value);
            } else {
                run.put(setting, value);
            }
            return this;
        }

        /**
         * Sets a setting, the machine's or the run's, by its key and text.
         *
         * @throws ConfigException for an unknown key or a value that does not parse
         */
        public Builder set(String key, String text) {
            for (Setting<?> s : RUN_SETTINGS) {
                if (s.key().equals(key)) {
                    return parseAndSet(s, text);
                }
            }
            machine.set(key, text);
            return this;
        }

        private <T> Builder parseAndSet(Setting<T> s, String text) {
            return set(s, s.parse(text));
        }

        public Builder profile(Profile p) { machine.profile(p); return this; }
        /** CPUs; unset means this machine's processors, at most the profile's NR_CPUS. */
        public Builder cpus(int n) { machine.cpus(n); return this; }
        public Builder highmemPages(int n) { machine.highmemPages(n); return this; }
        public Builder lastPkmap(int n) { machine.lastPkmap(n); return this; }
        public Builder lock(String name) { machine.lock(name); return this; }
        public Builder waitStrategy(String name) { machine.waitStrategy(name); return this; }
        public Builder fault(Fault f) { machine.fault(f); return this; }
        public Builder duration(Duration d) { return set(DURATION, d); }
        public Builder statInterval(Duration d) { return set(STAT_INTERVAL, d); }
        public Builder watchdog(Duration d) { return set(WATCHDOG, d); }
        public Builder workload(Workload w) { return set(WORKLOAD, w); }
        public Builder hold(double p) { return set(HOLD, p); }
        public Builder longHold(Duration d) { return set(LONG_HOLD, d); }
        public Builder stutter(StutterSpec s) { return set(STUTTER, s); }
        public Builder irq(boolean on) { return set(IRQ, on); }
        public Builder tasksPerCpu(int n) { return set(TASKS_PER_CPU, n); }
        public Builder seed(long s) { return set(SEED, s); }

        /**
         * Sizes the machine from a boot: its profile, its lowmem and highmem page counts
         * (unless {@link #highmemPages} says otherwise) and the profile's real PKMAP window
         * (unless {@link #lastPkmap} does).
         *
         * @param source the boot file, for the start line and the replay command
         */
        public Builder boot(String source, BootMachine sized) {
            machine.profile(sized.builder().build().profile());
            machine.lowmemPages(sized.lowmemPages());
            this.boot = source;
            this.bootHighmemPages = sized.highmemPages();
            this.bootNotes.clear();
            this.bootNotes.addAll(sized.notes());
            return this;
        }

        @SuppressWarnings("unchecked")
        private <T> T value(Setting<T> s) {
            if (run.containsKey(s)) {
                return (T) run.get(s);
            }
            return s == SEED ? (T) (Long) System.nanoTime() : s.defaultValue();
        }

        /** Checks every setting and builds the configuration and its machine's. */
        public TortureConfig build() {
            Map<Setting<?>, Object> v = new HashMap<>();
            RUN_SETTINGS.forEach(s -> v.put(s, value(s)));
            Duration watchdog = (Duration) v.get(WATCHDOG);
            double hold = (Double) v.get(HOLD);
            Duration longHold = (Duration) v.get(LONG_HOLD);
            int tasksPerCpu = (Integer) v.get(TASKS_PER_CPU);
            for (Setting<?> s : List.of(DURATION, STAT_INTERVAL, WATCHDOG)) {
                Duration d = (Duration) v.get(s);
                if (d.isNegative() || d.isZero()) {
                    throw s.refuse(Durations.format(d), "must be a duration greater than 0");
                }
            }
            if (!(hold >= 0 && hold <= 1)) {
                throw HOLD.refuse(hold, "must be a probability from 0 to 1");
            }
            // A long hold keeps other tasks asleep waiting for slots: a chain of them must
            // stay far below the hung-task timeout, or the faithful model would look hung.
            if (longHold.isNegative() || longHold.multipliedBy(4).compareTo(watchdog) > 0) {
                if (longHold.equals(LONG_HOLD.defaultValue())) {
                    // With the default long hold, it is the --watchdog given that is too short.
                    throw WATCHDOG.refuse(watchdog, "must be at least " + Durations.format(longHold.multipliedBy(4))
                            + ", four times --long-hold (" + Durations.format(longHold) + "); a shorter --watchdog"
                            + " needs a shorter --long-hold");
                }
                throw LONG_HOLD.refuse(longHold, "must be from 0 to a quarter of --watchdog ("
                        + Durations.format(watchdog.dividedBy(4)) + ")");
            }
            if (tasksPerCpu < 1 || tasksPerCpu > MAX_TASKS_PER_CPU) {
                throw TASKS_PER_CPU.refuse(tasksPerCpu, "must be 1.." + MAX_TASKS_PER_CPU);
            }
            Profile profile = machine.profile();
            MachineConfig.Builder m = machine.copy();
            if (!m.isSet(MachineConfig.CPUS)) {
                m.cpus(Math.min(Runtime.getRuntime().availableProcessors(), profile.nrCpus()));
            }
            if (!m.isSet(MachineConfig.LAST_PKMAP)) {
                m.lastPkmap(boot != null ? profile.lastPkmap() : Math.min(DEFAULT_LAST_PKMAP, profile.lastPkmap()));
            }
            if (!m.isSet(MachineConfig.HIGHMEM_PAGES)) {
                m.highmemPages(bootHighmemPages != null ? bootHighmemPages
                        : DEFAULT_PAGES_PER_SLOT * m.given(MachineConfig.LAST_PKMAP));
            }
            if (!m.isSet(MachineConfig.PAYLOAD_WORDS)) {
                m.payloadWords(PAYLOAD_WORDS);
            }
            FROM_WATCHDOG.forEach(s -> m.set(s, watchdog));
            MachineConfig built = m.build();
            if (built.highmemPages() == 0) {
                throw MachineConfig.HIGHMEM_PAGES.refuse(0, "a torture run needs highmem pages to map;"
                        + " must be at least 1");
            }
            return new TortureConfig(built, v, boot, bootNotes);
        }
    }
}
