package dev.kmapstress.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The persistent kmap paths of mm/highmem.c: kmap_high's hit path and its miss path through
 * map_new_virtual, each with its kunmap_high, as each JMH thread's own CPU. All threads share
 * the one kmap_lock, so more threads means a more contended lock.
 */
public class KmapHigh extends MatrixDefaults {

    /** The hit path's machine: lock × profile × statistics on/off. */
    @State(Scope.Benchmark)
    public static class HitMachine extends ProfiledMachine {

        @Param({"true", "false"})
        public boolean statistics;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            setUp(params.getThreads());
        }

        void setUp(int cpus) {
            build(config().statistics(statistics), cpus);
        }
    }

    /** Each thread's CPU with its own page kept mapped. */
    public static class PinnedPage extends PinnedCpu {
        @Setup(Level.Trial)
        public void setUp(HitMachine m, ThreadParams threads) {
            pin(m.machine(), threads);
        }
    }

    /**
     * kmap_high of a page that is already mapped plus its kunmap_high (two kmap_lock and two
     * page_address bucket lock round trips); compared with {@code Baselines.bareLockUnlock} of
     * the same lock and with {@code KmapLocal.localRoundTrip}.
     */
    @Benchmark
    public long hitRoundTrip(HitMachine m, PinnedPage t) {
        long vaddr = m.machine().pkmap().kmapHigh(t.cpu, t.page);
        m.machine().pkmap().kunmapHigh(t.cpu, t.page);
        return vaddr;
    }

    /**
     * kmap_high, one read through the mapping and kunmap_high over a pool of pages: at pressure
     * MORE every map misses into map_new_virtual and the cursor's wrap flushes the window with
     * a TLB shootdown; compared with {@link #hitRoundTrip} and across profiles (IPI vs broadcast).
     */
    @Benchmark
    public int poolRoundTrip(PoolMachine m, PoolWalker t) {
        return t.useNextPage(m.machine(), true);
    }
}
