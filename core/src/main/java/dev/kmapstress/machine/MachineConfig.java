package dev.kmapstress.machine;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.wait.WaitStrategies;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link Machine} is built from: a {@link Profile} plus overrides. Immutable;
 * {@link #builder(Profile)} validates every field when {@link Builder#build()} is called and
 * refuses an invalid value with a {@link ConfigException} naming the field, the value and what
 * is allowed.
 *
 * <p>The same settings are reachable as {@code key=value} pairs ({@link Builder#set}), the
 * spelling the CLI options and scenario scripts use: {@value #KEYS}.
 */
public final class MachineConfig {

    /** The keys {@link Builder#set} accepts. */
    public static final String KEYS = "profile, cpus, highmem-pages, lowmem-pages, last-pkmap, "
            + "colours, payload-words, lock, wait-strategy, fault, statistics, "
            + "lockup-timeout-ms, hung-task-timeout-ms, debug-kmap-local, force-map, "
            + "lock-statistics, lockdep, hypervisor";

    /** The kernel's PA_HASH_ORDER table needs no more than this; larger runs need more heap. */
    public static final int MAX_HIGHMEM_PAGES = 1 << 20;
    public static final int MAX_LOWMEM_PAGES = 1 << 18;
    public static final int MAX_PAYLOAD_WORDS = 1024;

    private final Profile profile;
    private final int cpus;
    private final int highmemPages;
    private final int lowmemPages;
    private final int lastPkmap;
    private final int colours;
    private final int payloadWords;
    private final String lock;
    private final String waitStrategy;
    private final Set<Fault> faults;
    private final boolean statistics;
    private final Duration lockupTimeout;
    private final Duration hungTaskTimeout;
    private final boolean debugKmapLocal;
    private final boolean forceMap;
    private final boolean lockStatistics;
    private final boolean lockdep;
    private final boolean hypervisor;

    private MachineConfig(Builder b) {
        this.profile = b.profile;
        this.cpus = b.cpus;
        this.highmemPages = b.highmemPages;
        this.lowmemPages = b.lowmemPages;
        this.lastPkmap = b.lastPkmap;
        this.colours = b.colours;
        this.payloadWords = b.payloadWords;
        this.lock = b.lock;
        this.waitStrategy = b.waitStrategy;
        this.faults = Collections.unmodifiableSet(b.faults.isEmpty()
                ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(b.faults));
        this.statistics = b.statistics;
        this.lockupTimeout = b.lockupTimeout;
        this.hungTaskTimeout = b.hungTaskTimeout;
        // Kconfig: DEBUG_KMAP_LOCAL_FORCE_MAP selects DEBUG_KMAP_LOCAL.
        this.debugKmapLocal = b.debugKmapLocal || b.forceMap;
        this.forceMap = b.forceMap;
        this.lockStatistics = b.lockStatistics;
        this.lockdep = b.lockdep;
        this.hypervisor = b.hypervisor;
    }

    /** A builder starting from {@code profile}'s defaults. */
    public static Builder builder(Profile profile) {
        return new Builder(profile);
    }

    /** The profile's defaults, unchanged. */
    public static MachineConfig of(Profile profile) {
        return builder(profile).build();
    }

    /** A builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(profile);
        b.cpus = cpus;
        b.highmemPages = highmemPages;
        b.lowmemPages = lowmemPages;
        b.lastPkmap = lastPkmap;
        b.colours = colours;
        b.payloadWords = payloadWords;
        b.lock = lock;
        b.waitStrategy = waitStrategy;
        b.faults.addAll(faults);
        b.statistics = statistics;
        b.lockupTimeout = lockupTimeout;
        b.hungTaskTimeout = hungTaskTimeout;
        b.debugKmapLocal = debugKmapLocal;
        b.forceMap = forceMap;
        b.lockStatistics = lockStatistics;
        b.lockdep = lockdep;
        b.hypervisor = hypervisor;
        return b;
    }

    public Profile profile() { return profile; }
    public int cpus() { return cpus; }
    public int highmemPages() { return highmemPages; }
    public int lowmemPages() { return lowmemPages; }
    /** The PKMAP window size in slots (the kernel's LAST_PKMAP). */
    public int lastPkmap() { return lastPkmap; }
    public int colours() { return colours; }
    /** 32-bit words of payload modelled per page (a real page has 1024). */
    public int payloadWords() { return payloadWords; }
    /** The lock strategy of every kernel spinlock of the machine (kmap_lock and friends). */
    public String lock() { return lock; }
    public String waitStrategy() { return waitStrategy; }
    public Set<Fault> faults() { return faults; }
    public boolean has(Fault f) { return faults.contains(f); }
    /** Whether per-CPU statistics are collected. */
    public boolean statistics() { return statistics; }
    public Duration lockupTimeout() { return lockupTimeout; }
    public Duration hungTaskTimeout() { return hungTaskTimeout; }
    /**
     * CONFIG_DEBUG_KMAP_LOCAL: KM_MAX_IDX 33 and a stack step of 2, so every other fixmap slot
     * stays unmapped as a guard page (on with {@link #forceMap()}, which selects it).
     */
    public boolean debugKmapLocal() { return debugKmapLocal; }
    /** CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP: kmap_local maps lowmem pages through the fixmap too. */
    public boolean forceMap() { return forceMap; }
    /** Whether every spinlock keeps statistics (acquisitions, contention, spins, longest wait). */
    public boolean lockStatistics() { return lockStatistics; }
    /** Whether the lock validator (a small lockdep) checks lock order and IRQ state. */
    public boolean lockdep() { return lockdep; }
    /**
     * Whether the machine runs under a hypervisor (X86_FEATURE_HYPERVISOR): x86 then keeps
     * {@code virt_spin_lock_key} on, so {@code lock=qspinlock} falls back to test-and-set
     * instead of queueing ({@code pvqspinlock} is the paravirt alternative).
     */
    public boolean hypervisor() { return hypervisor; }

    /** The settings as {@code key=value} pairs, in {@link #KEYS} order. */
    public Map<String, String> asKeyValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("profile", profile.id());
        m.put("cpus", Integer.toString(cpus));
        m.put("highmem-pages", Integer.toString(highmemPages));
        m.put("lowmem-pages", Integer.toString(lowmemPages));
        m.put("last-pkmap", Integer.toString(lastPkmap));
        m.put("colours", Integer.toString(colours));
        m.put("payload-words", Integer.toString(payloadWords));
        m.put("lock", lock);
        m.put("wait-strategy", waitStrategy);
        m.put("fault", faults.isEmpty() ? "none" : faults.toString().replaceAll("[\\[\\] ]", ""));
        m.put("statistics", Boolean.toString(statistics));
        m.put("lockup-timeout-ms", Long.toString(lockupTimeout.toMillis()));
        m.put("hung-task-timeout-ms", Long.toString(hungTaskTimeout.toMillis()));
        m.put("debug-kmap-local", Boolean.toString(debugKmapLocal));
        m.put("force-map", Boolean.toString(forceMap));
        m.put("lock-statistics", Boolean.toString(lockStatistics));
        m.put("lockdep", Boolean.toString(lockdep));
        m.put("hypervisor", Boolean.toString(hypervisor));
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        asKeyValues().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    /** Collects overrides; {@link #build()} validates them all. */
    public static final class Builder {
        private Profile profile;
        private int cpus;
        private int highmemPages;
        private int lowmemPages;
        private int lastPkmap;
        private int colours;
        private int payloadWords = 8;
        private String lock = "ticket";
        private String waitStrategy = "kernel";
        private final Set<Fault> faults = EnumSet.noneOf(Fault.class);
        private boolean statistics = true;
        private Duration lockupTimeout = Duration.ofSeconds(4);
        private Duration hungTaskTimeout = Duration.ofSeconds(10);
        private boolean debugKmapLocal;
        private boolean forceMap;
        private boolean lockStatistics;
        private boolean lockdep;
        private boolean hypervisor;
        private boolean highmemPagesSet;

        private Builder(Profile profile) {
            profile(profile);
            this.cpus = Math.min(2, profile.nrCpus());
            this.lowmemPages = 16;
        }

        /** Switches profile; window size and colours follow it unless set later. */
        public Builder profile(Profile p) {
            this.profile = p;
            this.lastPkmap = p.lastPkmap();
            this.colours = p.colours();
            if (!highmemPagesSet) {
                this.highmemPages = 2 * p.lastPkmap();
            }
            return this;
        }

        public Builder cpus(int n) { this.cpus = n; return this; }
        public Builder highmemPages(int n) { this.highmemPages = n; highmemPagesSet = true; return this; }
        public Builder lowmemPages(int n) { this.lowmemPages = n; return this; }
        public Builder lastPkmap(int n) { this.lastPkmap = n; return this; }
        public Builder colours(int n) { this.colours = n; return this; }
        public Builder payloadWords(int n) { this.payloadWords = n; return this; }
        public Builder lock(String name) { this.lock = name; return this; }
        public Builder waitStrategy(String name) { this.waitStrategy = name; return this; }
        public Builder fault(Fault f) { this.faults.add(f); return this; }
        public Builder statistics(boolean on) { this.statistics = on; return this; }
        public Builder lockupTimeout(Duration d) { this.lockupTimeout = d; return this; }
        public Builder hungTaskTimeout(Duration d) { this.hungTaskTimeout = d; return this; }
        public Builder debugKmapLocal(boolean on) { this.debugKmapLocal = on; return this; }
        public Builder forceMap(boolean on) { this.forceMap = on; return this; }
        public Builder lockStatistics(boolean on) { this.lockStatistics = on; return this; }
        public Builder lockdep(boolean on) { this.lockdep = on; return this; }
        public Builder hypervisor(boolean on) { this.hypervisor = on; return this; }

        /**
         * Sets one setting by its {@code key=value} spelling.
         *
         * @throws ConfigException for an unknown key or a value that does not parse
         */
        public Builder set(String key, String value) {
            switch (key) {
                case "profile" -> profile(parse(key, value, Profile::parse));
                case "cpus" -> cpus(integer(key, value));
                case "highmem-pages" -> highmemPages(integer(key, value));
                case "lowmem-pages" -> lowmemPages(integer(key, value));
                case "last-pkmap" -> lastPkmap(integer(key, value));
                case "colours" -> colours(integer(key, value));
                case "payload-words" -> payloadWords(integer(key, value));
                case "lock" -> lock(value);
                case "wait-strategy" -> waitStrategy(value);
                case "fault" -> {
                    if (!value.equals("none")) {
                        for (String f : value.split(",")) {
                            fault(parse(key, f, Fault::parse));
                        }
                    }
                }
                case "statistics" -> statistics(bool(key, value));
                case "lockup-timeout-ms" -> lockupTimeout(Duration.ofMillis(integer(key, value)));
                case "hung-task-timeout-ms" -> hungTaskTimeout(Duration.ofMillis(integer(key, value)));
                case "debug-kmap-local" -> debugKmapLocal(bool(key, value));
                case "force-map" -> forceMap(bool(key, value));
                case "lock-statistics" -> lockStatistics(bool(key, value));
                case "lockdep" -> lockdep(bool(key, value));
                case "hypervisor" -> hypervisor(bool(key, value));
                default -> throw new ConfigException("unknown setting '" + key + "'; known: " + KEYS);
            }
            return this;
        }

        /** Validates every field and builds the configuration. */
        public MachineConfig build() {
            check(cpus >= 1 && cpus <= profile.nrCpus(), "cpus", cpus,
                    "1.." + profile.nrCpus() + " (CONFIG_NR_CPUS of profile " + profile.id() + ")");
            check(isPowerOfTwo(lastPkmap) && lastPkmap >= 2 && lastPkmap <= profile.lastPkmap(),
                    "last-pkmap", lastPkmap, "a power of two from 2 to " + profile.lastPkmap()
                            + ": the kernel masks slot numbers with LAST_PKMAP - 1 and the window"
                            + " is one page table (PTRS_PER_PTE) of profile " + profile.id());
            check(isPowerOfTwo(colours) && colours >= 1 && colours * 2 <= lastPkmap, "colours",
                    colours, "a power of two with at least two PKMAP slots per colour (at most "
                            + lastPkmap / 2 + " for last-pkmap=" + lastPkmap + ")");
            check(highmemPages >= 0 && highmemPages <= MAX_HIGHMEM_PAGES, "highmem-pages",
                    highmemPages, "0.." + MAX_HIGHMEM_PAGES);
            long lowLimit = Math.min(MAX_LOWMEM_PAGES,
                    (profile.vmallocEnd() - profile.pageOffset()) / Profile.PAGE_SIZE);
            check(lowmemPages >= 1 && lowmemPages <= lowLimit, "lowmem-pages", lowmemPages,
                    "1.." + lowLimit);
            check(payloadWords >= 1 && payloadWords <= MAX_PAYLOAD_WORDS, "payload-words",
                    payloadWords, "1.." + MAX_PAYLOAD_WORDS + " (a 4 KiB page holds 1024 words)");
            if (!LockRegistry.standard().contains(lock)) {
                throw new ConfigException("lock=" + lock + ": unknown lock strategy; known: "
                        + String.join(", ", LockRegistry.standard().names()));
            }
            check(WaitStrategies.names().contains(waitStrategy), "wait-strategy", waitStrategy,
                    "one of " + String.join(", ", WaitStrategies.names()));
            check(!lockupTimeout.isNegative() && !lockupTimeout.isZero(), "lockup-timeout-ms",
                    lockupTimeout.toMillis(), "a positive number of milliseconds");
            check(!hungTaskTimeout.isNegative() && !hungTaskTimeout.isZero(), "hung-task-timeout-ms",
                    hungTaskTimeout.toMillis(), "a positive number of milliseconds");
            if (faults.contains(Fault.IRQ_OFF_SPIN_WITH_IPI_FLUSH) && profile.hardwareTlbBroadcast()) {
                throw new ConfigException("fault=IRQ_OFF_SPIN_WITH_IPI_FLUSH: needs a profile whose"
                        + " TLB flush sends IPIs; " + profile.id() + " broadcasts in hardware");
            }
            // Only architectures without alias problems select ARCH_SUPPORTS_KMAP_LOCAL_FORCE_MAP.
            check(!forceMap || !profile.kmapHighGet() && colours == 1, "force-map", forceMap,
                    "false on " + profile.id() + " with colours=" + colours + ": forcing lowmem"
                            + " through the fixmap needs an architecture without cache aliases"
                            + " or kmap_high_get (x86 selects ARCH_SUPPORTS_KMAP_LOCAL_FORCE_MAP)");
            return new MachineConfig(this);
        }

        private static void check(boolean ok, String key, Object value, String allowed) {
            if (!ok) {
                throw new ConfigException(key + "=" + value + ": must be " + allowed);
            }
        }

        private static boolean isPowerOfTwo(int n) {
            return n > 0 && (n & (n - 1)) == 0;
        }

        private static int integer(String key, String value) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "=" + value + ": not an integer");
            }
        }

        private static boolean bool(String key, String value) {
            return switch (value) {
                case "true", "on", "yes" -> true;
                case "false", "off", "no" -> false;
                default -> throw new ConfigException(key + "=" + value + ": must be true or false");
            };
        }

        private static <T> T parse(String key, String value, java.util.function.Function<String, T> f) {
            try {
                return f.apply(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + "=" + value + ": " + e.getMessage());
            }
        }
    }
}
