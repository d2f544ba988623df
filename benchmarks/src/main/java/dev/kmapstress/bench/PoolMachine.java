package dev.kmapstress.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A page pool that outnumbers, matches or undercuts the PKMAP window (the pool pressure), so
 * that walking it exercises kmap_high's hit path, its miss path through map_new_virtual, the
 * wrap-around flush with its TLB shootdown and, with mappings held, the sleep for a free slot.
 */
@State(Scope.Benchmark)
public class PoolMachine extends PagePool {

    /** How many highmem pages there are for the window's LAST_PKMAP slots. */
    public enum Pressure {
        /** Half as many pages as slots: once each page is mapped, every kmap_high hits. */
        FEWER(1, 2),
        /** As many pages as slots: hits and misses, a flush every time the cursor wraps. */
        EQUAL(1, 1),
        /**
         * Four times as many pages as slots: every kmap_high of a walk misses, scans for a free
         * slot, and every LAST_PKMAP misses the cursor wraps (flush_all_zero_pkmaps + shootdown).
         */
        MORE(4, 1);

        private final int times;
        private final int per;

        Pressure(int times, int per) {
            this.times = times;
            this.per = per;
        }

        /** The number of highmem pages for a window of {@code slots}. */
        public int pages(int slots) {
            return slots * times / per;
        }
    }

    @Param({"FEWER", "EQUAL", "MORE"})
    public Pressure pressure;

    @Override
    protected int pages(int slots) {
        return pressure.pages(slots);
    }
}
