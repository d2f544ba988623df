package dev.kmapstress.machine;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.settings.Setting;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a machine ({@code dev.kmapstress.kernel.Machine}) is built from: a {@link Profile}
 * plus overrides. Immutable; {@link #builder(Profile)} validates every value when
 * {@link Builder#build()} is called and refuses an invalid one with a {@link ConfigException}
 * naming the setting, the value and what is allowed.
 *
 * <p>Each setting is declared once, in {@link #SETTINGS}: key, type, default, unit, help and
 * the commands that take it as an option. The same table gives {@code --set KEY=VALUE}
 * ({@link Builder#set(String, String)}), the command-line options, the configuration recorded
 * in results files ({@link #asJson()}) and the text forms ({@link #asKeyValues()}).
 */
public final class MachineConfig {

    /** The kernel's PA_HASH_ORDER table needs no more than this; larger runs need more heap. */
    public static final int MAX_HIGHMEM_PAGES = 1 << 20;
    public static final int MAX_LOWMEM_PAGES = 1 << 18;
    public static final int MAX_PAYLOAD_WORDS = 1024;

    private static final Setting.Type<Duration> MILLIS = new Setting.Type<>(Duration.class, "MS",
            t -> Duration.ofMillis(Setting.Type.LONG.parser().apply(t)), d -> Long.toString(d.toMillis()));
    private static final Setting.Type<Set<Fault>> FAULTS = new Setting.Type<>(faultSetClass(), "NAME",
            MachineConfig::faults, MachineConfig::faults);

    public static final Setting<Profile> PROFILE = Setting.of("profile",
                    new Setting.Type<>(Profile.class, "NAME", Profile::parse, Profile::id))
            .byDefault(Profile.X86_PAE.id()).options("torture", "compare", "info")
            .help("Kernel profile: " + Profile.ids());
    public static final Setting<Integer> CPUS = Setting.of("cpus", Setting.Type.INTEGER)
            .byDefault("2, at most the profile's NR_CPUS").options("torture", "compare")
            .help("CPUs, one worker thread each (compare sweeps a comma list: 1,2,4)");
    public static final Setting<Integer> HIGHMEM_PAGES = Setting.of("highmem-pages", Setting.Type.INTEGER)
            .byDefault("twice the profile's LAST_PKMAP").options("torture", "compare")
            .help("Highmem pages");
    public static final Setting<Integer> LOWMEM_PAGES = Setting.of("lowmem-pages", Setting.Type.INTEGER)
            .byDefault("16").help("Lowmem pages modelled");
    public static final Setting<Integer> LAST_PKMAP = Setting.of("last-pkmap", Setting.Type.INTEGER)
            .byDefault("the profile's LAST_PKMAP").options("torture", "compare")
            .help("PKMAP window slots (the kernel's LAST_PKMAP), a power of two");
    public static final Setting<Integer> COLOURS = Setting.of("colours", Setting.Type.INTEGER)
            .byDefault("the profile's PKMAP colours").help("PKMAP colours (cache aliasing), a power of two");
    public static final Setting<Integer> PAYLOAD_WORDS = Setting.of("payload-words", Setting.Type.INTEGER)
            .byDefault("8").unit("32-bit words per page").help("Payload modelled per page (a real page has 1024)");
    /** The lock of every kernel spinlock: qspinlock, as x86's spinlock in Linux 6.1. */
    public static final Setting<String> LOCK = Setting.of("lock", Setting.Type.NAME)
            .byDefault("qspinlock").options("torture")
            .help("Lock strategy of kmap_lock and the other spinlocks (x86 6.1: qspinlock)");
    public static final Setting<String> WAIT_STRATEGY = Setting.of("wait-strategy", Setting.Type.NAME)
            .byDefault("kernel").options("torture").help("How tasks wait for a free PKMAP slot");
    public static final Setting<Set<Fault>> FAULT = Setting.of("fault", FAULTS)
            .byDefault("none").options("torture", "compare")
            .help("Seeded fault to switch on, repeatable (as KEY=VALUE: comma-separated)");
    public static final Setting<Boolean> STATISTICS = Setting.of("statistics", Setting.Type.BOOLEAN)
            .byDefault("true").help("Whether per-CPU statistics are collected");
    public static final Setting<Duration> LOCKUP_TIMEOUT = Setting.of("lockup-timeout-ms", MILLIS)
            .byDefault("4000").unit("ms").help("Soft- and hard-lockup detector timeout");
    public static final Setting<Duration> HUNG_TASK_TIMEOUT = Setting.of("hung-task-timeout-ms", MILLIS)
            .byDefault("10000").unit("ms").help("Hung-task detector timeout");
    public static final Setting<Boolean> LOCKUP_PROOF = Setting.of("lockup-proof", Setting.Type.BOOLEAN)
            .byDefault("false").help("Also report a lockup, before its timeout, once the model proves"
                    + " that no CPU can end it: every other CPU spins on in a wait of its own, or runs"
                    + " nothing. Decided from what the CPUs do, never from time, so a thread the host"
                    + " deschedules proves nothing");
    public static final Setting<Boolean> DEBUG_KMAP_LOCAL = Setting.of("debug-kmap-local", Setting.Type.BOOLEAN)
            .byDefault("false").help("CONFIG_DEBUG_KMAP_LOCAL: guard pages between kmap_local slots");
    public static final Setting<Boolean> FORCE_MAP = Setting.of("force-map", Setting.Type.BOOLEAN)
            .byDefault("false").help("CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP: lowmem through the fixmap too");
    public static final Setting<Boolean> LOCK_STATISTICS = Setting.of("lock-statistics", Setting.Type.BOOLEAN)
            .byDefault("false").help("Per-spinlock statistics (acquisitions, contention, spins, longest wait)");
    public static final Setting<Boolean> LOCKDEP = Setting.of("lockdep", Setting.Type.BOOLEAN)
            .byDefault("false").help("The lock validator: lock order and IRQ state");
    public static final Setting<Boolean> HYPERVISOR = Setting.of("hypervisor", Setting.Type.BOOLEAN)
            .byDefault("false").options("torture", "compare").help("Runs under a hypervisor (X86_FEATURE_HYPERVISOR): qspinlock falls back to"
                    + " virt_spin_lock's test-and-set");

    /** Every machine setting, in the order descriptions and results files list them. */
    public static final List<Setting<?>> SETTINGS = List.of(PROFILE, CPUS, HIGHMEM_PAGES, LOWMEM_PAGES,
            LAST_PKMAP, COLOURS, PAYLOAD_WORDS, LOCK, WAIT_STRATEGY, FAULT, STATISTICS, LOCKUP_TIMEOUT,
            HUNG_TASK_TIMEOUT, LOCKUP_PROOF, DEBUG_KMAP_LOCAL, FORCE_MAP, LOCK_STATISTICS, LOCKDEP,
            HYPERVISOR);

    /** The keys {@link Builder#set} accepts, comma-separated. */
    public static final String KEYS = Setting.keys(SETTINGS);

    private final Map<Setting<?>, Object> values;
    /** The values given, the rest being defaults (which follow the profile in a variant). */
    private final Map<Setting<?>, Object> given;
    private final Set<Fault> faults;

    private MachineConfig(Map<Setting<?>, Object> values, Map<Setting<?>, Object> given) {
        this.values = values;
        this.given = given;
        this.faults = get(FAULT);
    }

    /** A builder starting from {@code profile}'s defaults. */
    public static Builder builder(Profile profile) {
        return new Builder(profile);
    }

    /** The profile's defaults, unchanged. */
    public static MachineConfig of(Profile profile) {
        return builder(profile).build();
    }

    /**
     * A builder holding the values this configuration was given, to derive a variant: what was
     * left to defaults (the window, colours, highmem of the profile) follows a new profile.
     */
    public Builder toBuilder() {
        Builder b = new Builder(profile());
        b.explicit.putAll(given);
        return b;
    }

    /** The value of {@code setting}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    public Profile profile() { return get(PROFILE); }
    public int cpus() { return get(CPUS); }
    public int highmemPages() { return get(HIGHMEM_PAGES); }
    public int lowmemPages() { return get(LOWMEM_PAGES); }
    /** The PKMAP window size in slots (the kernel's LAST_PKMAP). */
    public int lastPkmap() { return get(LAST_PKMAP); }
    public int colours() { return get(COLOURS); }
    /** 32-bit words of payload modelled per page (a real page has 1024). */
    public int payloadWords() { return get(PAYLOAD_WORDS); }
    /** The lock strategy of every kernel spinlock of the machine (kmap_lock and friends). */
    public String lock() { return get(LOCK); }
    public String waitStrategy() { return get(WAIT_STRATEGY); }
    public Set<Fault> faults() { return faults; }
    public boolean has(Fault f) { return faults.contains(f); }
    /** Whether per-CPU statistics are collected. */
    public boolean statistics() { return get(STATISTICS); }
    public Duration lockupTimeout() { return get(LOCKUP_TIMEOUT); }
    public Duration hungTaskTimeout() { return get(HUNG_TASK_TIMEOUT); }
    /**
     * Whether a spinning CPU's lockup is also reported as soon as it is proven, from the CPUs'
     * progress, that no CPU can end it (see {@code LockupProof}); the timeout reports it anyway.
     */
    public boolean lockupProof() { return get(LOCKUP_PROOF); }
    /**
     * CONFIG_DEBUG_KMAP_LOCAL: KM_MAX_IDX 33 and a stack step of 2, so every other fixmap slot
     * stays unmapped as a guard page (on with {@link #forceMap()}, which selects it).
     */
    public boolean debugKmapLocal() { return get(DEBUG_KMAP_LOCAL); }
    /** CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP: kmap_local maps lowmem pages through the fixmap too. */
    public boolean forceMap() { return get(FORCE_MAP); }
    /** Whether every spinlock keeps statistics (acquisitions, contention, spins, longest wait). */
    public boolean lockStatistics() { return get(LOCK_STATISTICS); }
    /** Whether the lock validator (a small lockdep) checks lock order and IRQ state. */
    public boolean lockdep() { return get(LOCKDEP); }
    /**
     * Whether the machine runs under a hypervisor (X86_FEATURE_HYPERVISOR): x86 then keeps
     * {@code virt_spin_lock_key} on, so {@code lock=qspinlock} falls back to test-and-set
     * instead of queueing ({@code pvqspinlock} is the paravirt alternative).
     */
    public boolean hypervisor() { return get(HYPERVISOR); }

    /** The settings as {@code key=value} pairs, in {@link #SETTINGS} order. */
    public Map<String, String> asKeyValues() {
        Map<String, String> m = new LinkedHashMap<>();
        SETTINGS.forEach(s -> m.put(s.key(), text(s)));
        return m;
    }

    /** The settings as a results file records them: numbers and booleans typed, the rest text. */
    public Map<String, Object> asJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        SETTINGS.forEach(s -> m.put(s.key(), json(s)));
        return m;
    }

    /** The value of {@code setting} in its {@code --set} spelling. */
    public <T> String text(Setting<T> setting) {
        return setting.format(get(setting));
    }

    private <T> Object json(Setting<T> setting) {
        return setting.json(get(setting));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        asKeyValues().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static Set<Fault> faults(String text) {
        Set<Fault> set = EnumSet.noneOf(Fault.class);
        if (!text.trim().equals("none")) {
            for (String f : text.split(",")) {
                set.add(Fault.parse(f));
            }
        }
        return Collections.unmodifiableSet(set);
    }

    private static String faults(Set<Fault> faults) {
        return faults.isEmpty() ? "none" : faults.stream().map(Fault::name).collect(Collectors.joining(","));
    }

    @SuppressWarnings("unchecked")
    private static Class<Set<Fault>> faultSetClass() {
        return (Class<Set<Fault>>) (Class<?>) Set.class;
    }

    /** Collects overrides; {@link #build()} fills in the defaults and validates them all. */
    public static final class Builder {
        private final Map<Setting<?>, Object> explicit = new HashMap<>();

        private Builder(Profile profile) {
            explicit.put(PROFILE, profile);
        }

        /** Sets {@code setting} to {@code value}. */
        public <T> Builder set(Setting<T> setting, T value) {
            explicit.put(setting, value);
            return this;
        }

        /** Whether {@code setting} was given (else {@link #build()} uses its default). */
        public boolean isSet(Setting<?> setting) {
            return explicit.containsKey(setting);
        }

        /** The profile so far. */
        public Profile profile() {
            return (Profile) explicit.get(PROFILE);
        }

        /** Switches profile; window size, colours and highmem follow it unless set. */
        public Builder profile(Profile p) { return set(PROFILE, p); }
        public Builder cpus(int n) { return set(CPUS, n); }
        public Builder highmemPages(int n) { return set(HIGHMEM_PAGES, n); }
        public Builder lowmemPages(int n) { return set(LOWMEM_PAGES, n); }
        public Builder lastPkmap(int n) { return set(LAST_PKMAP, n); }
        public Builder colours(int n) { return set(COLOURS, n); }
        public Builder payloadWords(int n) { return set(PAYLOAD_WORDS, n); }
        public Builder lock(String name) { return set(LOCK, name); }
        public Builder waitStrategy(String name) { return set(WAIT_STRATEGY, name); }
        public Builder statistics(boolean on) { return set(STATISTICS, on); }
        public Builder lockupTimeout(Duration d) { return set(LOCKUP_TIMEOUT, d); }
        public Builder hungTaskTimeout(Duration d) { return set(HUNG_TASK_TIMEOUT, d); }
        public Builder lockupProof(boolean on) { return set(LOCKUP_PROOF, on); }
        public Builder debugKmapLocal(boolean on) { return set(DEBUG_KMAP_LOCAL, on); }
        public Builder forceMap(boolean on) { return set(FORCE_MAP, on); }
        public Builder lockStatistics(boolean on) { return set(LOCK_STATISTICS, on); }
        public Builder lockdep(boolean on) { return set(LOCKDEP, on); }
        public Builder hypervisor(boolean on) { return set(HYPERVISOR, on); }

        /** Adds a fault to those switched on. */
        public Builder fault(Fault f) {
            Set<Fault> set = EnumSet.noneOf(Fault.class);
            if (isSet(FAULT)) {
                set.addAll(given(FAULT));
            }
            set.add(f);
            return set(FAULT, Collections.unmodifiableSet(set));
        }

        /**
         * Sets one setting by its {@code key=value} spelling ({@code fault} adds to the faults).
         *
         * @throws ConfigException for an unknown key or a value that does not parse
         */
        public Builder set(String key, String value) {
            Setting<?> s = SETTINGS.stream().filter(x -> x.key().equals(key)).findFirst()
                    .orElseThrow(() -> ConfigException.unknownKey(key, value, KEYS));
            if (s == FAULT) {
                FAULT.parse(value).forEach(this::fault);
                return this;
            }
            return parseAndSet(s, value);
        }

        private <T> Builder parseAndSet(Setting<T> s, String value) {
            return set(s, s.parse(value));
        }

        /** The value given for {@code s}, null if none was. */
        @SuppressWarnings("unchecked")
        public <T> T given(Setting<T> s) {
            return (T) explicit.get(s);
        }

        /** An independent builder holding the same values. */
        public Builder copy() {
            Builder b = new Builder(profile());
            b.explicit.putAll(explicit);
            return b;
        }

        /** The value given, else the default (which may depend on the profile). */
        private <T> T resolve(Setting<T> s, Profile p) {
            if (isSet(s)) {
                return given(s);
            }
            Object d;
            if (s == CPUS) {
                d = Math.min(2, p.nrCpus());
            } else if (s == HIGHMEM_PAGES) {
                d = 2 * p.lastPkmap();
            } else if (s == LAST_PKMAP) {
                d = p.lastPkmap();
            } else if (s == COLOURS) {
                d = p.colours();
            } else {
                return s.defaultValue();
            }
            return s.type().javaType().cast(d);
        }

        /** Fills in the defaults, validates every value and builds the configuration. */
        public MachineConfig build() {
            Profile profile = profile();
            Map<Setting<?>, Object> v = new HashMap<>();
            SETTINGS.forEach(s -> v.put(s, resolve(s, profile)));
            // Kconfig: DEBUG_KMAP_LOCAL_FORCE_MAP selects DEBUG_KMAP_LOCAL.
            if ((Boolean) v.get(FORCE_MAP)) {
                v.put(DEBUG_KMAP_LOCAL, true);
            }
            int cpus = (Integer) v.get(CPUS);
            int lastPkmap = (Integer) v.get(LAST_PKMAP);
            int colours = (Integer) v.get(COLOURS);
            int highmemPages = (Integer) v.get(HIGHMEM_PAGES);
            int lowmemPages = (Integer) v.get(LOWMEM_PAGES);
            int payloadWords = (Integer) v.get(PAYLOAD_WORDS);
            String lock = (String) v.get(LOCK);
            String waitStrategy = (String) v.get(WAIT_STRATEGY);
            Duration lockupTimeout = (Duration) v.get(LOCKUP_TIMEOUT);
            Duration hungTaskTimeout = (Duration) v.get(HUNG_TASK_TIMEOUT);
            boolean forceMap = (Boolean) v.get(FORCE_MAP);
            boolean hypervisor = (Boolean) v.get(HYPERVISOR);
            Set<Fault> faults = FAULT.type().javaType().cast(v.get(FAULT));
            check(cpus >= 1 && cpus <= profile.nrCpus(), CPUS, cpus,
                    "1.." + profile.nrCpus() + " (CONFIG_NR_CPUS of profile " + profile.id() + ")");
            check(isPowerOfTwo(lastPkmap) && lastPkmap >= 2 && lastPkmap <= profile.lastPkmap(),
                    LAST_PKMAP, lastPkmap, "a power of two from 2 to " + profile.lastPkmap()
                            + ": the kernel masks slot numbers with LAST_PKMAP - 1 and the window"
                            + " is one page table (PTRS_PER_PTE) of profile " + profile.id());
            check(isPowerOfTwo(colours) && colours >= 1 && colours * 2 <= lastPkmap, COLOURS,
                    colours, "a power of two with at least two PKMAP slots per colour (at most "
                            + lastPkmap / 2 + " for last-pkmap=" + lastPkmap + ")");
            check(highmemPages >= 0 && highmemPages <= MAX_HIGHMEM_PAGES, HIGHMEM_PAGES,
                    highmemPages, "0.." + MAX_HIGHMEM_PAGES);
            long lowLimit = Math.min(MAX_LOWMEM_PAGES,
                    (profile.vmallocEnd() - profile.pageOffset()) / Profile.PAGE_SIZE);
            check(lowmemPages >= 1 && lowmemPages <= lowLimit, LOWMEM_PAGES, lowmemPages,
                    "1.." + lowLimit);
            check(payloadWords >= 1 && payloadWords <= MAX_PAYLOAD_WORDS, PAYLOAD_WORDS,
                    payloadWords, "1.." + MAX_PAYLOAD_WORDS + " (a 4 KiB page holds 1024 words)");
            if (!LockRegistry.standard().contains(lock)) {
                throw LOCK.refuse(lock, "unknown lock strategy; known: "
                        + String.join(", ", LockRegistry.standard().names()));
            }
            check(WaitStrategyName.words().contains(waitStrategy), WAIT_STRATEGY, waitStrategy,
                    "one of " + String.join(", ", WaitStrategyName.words()));
            check(!lockupTimeout.isNegative() && !lockupTimeout.isZero(), LOCKUP_TIMEOUT,
                    lockupTimeout, "a positive number of milliseconds");
            check(!hungTaskTimeout.isNegative() && !hungTaskTimeout.isZero(), HUNG_TASK_TIMEOUT,
                    hungTaskTimeout, "a positive number of milliseconds");
            if (faults.contains(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH) && profile.hardwareTlbBroadcast()) {
                throw FAULT.refuse(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH, "needs a profile whose"
                        + " TLB flush sends IPIs; " + profile.id() + " broadcasts in hardware");
            }
            // virt_spin_lock() and X86_FEATURE_HYPERVISOR are x86's (arch/x86/include/asm/qspinlock.h).
            check(!hypervisor || profile != Profile.ARM_LIKE, HYPERVISOR, hypervisor, "false on " + profile.id()
                    + ": the test-and-set fallback under a hypervisor (virt_spin_lock) is x86's");
            // Only architectures without alias problems select ARCH_SUPPORTS_KMAP_LOCAL_FORCE_MAP.
            check(!forceMap || !profile.kmapHighGet() && colours == 1, FORCE_MAP, forceMap,
                    "false on " + profile.id() + " with colours=" + colours + ": forcing lowmem"
                            + " through the fixmap needs an architecture without cache aliases"
                            + " or kmap_high_get (x86 selects ARCH_SUPPORTS_KMAP_LOCAL_FORCE_MAP)");
            return new MachineConfig(Collections.unmodifiableMap(v), Map.copyOf(explicit));
        }

        private static <T> void check(boolean ok, Setting<T> setting, T value, String allowed) {
            if (!ok) {
                throw setting.refuse(value, "must be " + allowed);
            }
        }

        private static boolean isPowerOfTwo(int n) {
            return n > 0 && (n & (n - 1)) == 0;
        }
    }
}
