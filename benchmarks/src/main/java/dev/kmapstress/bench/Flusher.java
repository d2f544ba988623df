package dev.kmapstress.bench;

import dev.kmapstress.machine.Cpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;

/**
 * Asymmetric contention between kmap_flush_unused and kmap users: one flusher keeps freeing
 * every unused slot (taking kmap_lock, scanning the window, shooting TLBs down), while mappers
 * walk the pool with kmap/read/kunmap round trips, whose hits it turns into misses and whose
 * TLBs it flushes. Change the sides with {@code -tg FLUSHERS,MAPPERS} (default one each).
 */
public class Flusher extends MatrixDefaults {

    /**
     * The flusher: one kmap_flush_unused (kmap_lock, flush_all_zero_pkmaps over the whole
     * window, a shootdown if any slot was freed); compared with the mappers it slows down.
     */
    @Benchmark
    @Group("flusherVsMappers")
    @GroupThreads(1)
    public void flusher(PoolMachine m, PoolWalker w) {
        try (Cpu.Scope s = w.cpu().enter()) {
            m.machine().pkmap().kmapFlushUnused(s.cpu());
        }
    }

    /**
     * A mapper: the round trip of {@code KmapHigh.poolRoundTrip}, here with a flusher freeing
     * its slots behind its back; compared with that benchmark at the same pressure.
     */
    @Benchmark
    @Group("flusherVsMappers")
    @GroupThreads(1)
    public int mapper(PoolMachine m, PoolWalker w) {
        return w.useNextPage(m.machine(), true);
    }
}
