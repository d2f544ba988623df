package dev.kmapstress.report;

import java.util.Set;

/**
 * The benchmarks of module {@code benchmarks} that the targets and charts read, by their
 * {@code Class.method} names, and the parameter values the targets are measured at. The
 * benchmarks module's tests check that each name still names a benchmark.
 */
public final class BenchmarkNames {

    /** kmap_high of a mapped page + kunmap_high. */
    public static final String HIT = "KmapHigh.hitRoundTrip";
    /** spin_lock + spin_unlock of one lock. */
    public static final String BARE_LOCK = "Baselines.bareLockUnlock";
    /** The lock strategy's lock + unlock alone, without the Spinlock wrappers. */
    public static final String RAW_LOCK = "Baselines.rawLockUnlock";
    /** Exactly the lock operations of a hit round trip: kmap_lock twice, the page's bucket lock twice. */
    public static final String HIT_PATH_LOCKS = "Baselines.hitPathLocks";
    /** kmap_local_page + kunmap_local. */
    public static final String LOCAL = "KmapLocal.localRoundTrip";
    /** kmap_atomic + kunmap_atomic. */
    public static final String ATOMIC = "KmapLocal.atomicRoundTrip";

    /** The profile the targets are measured on (the kernel the seed is about). */
    public static final String TARGET_PROFILE = "x86-pae";

    /**
     * The strategies that are JVM locks (they park waiters) rather than spinlocks; every other
     * strategy, a user's own included, counts as a spinlock for the spinlock target.
     */
    public static final Set<String> JVM_LOCKS = Set.of("synchronized", "reentrant", "reentrant-fair");

    /** The JVM lock the spinlock target compares against. */
    public static final String SYNCHRONIZED = "synchronized";

    private BenchmarkNames() {
    }
}
