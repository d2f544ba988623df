package dev.kmapstress.bench;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A machine whose highmem pages outnumber, match or undercut the PKMAP window (the pool
 * pressure), so that walking them exercises kmap_high's hit path, its miss path through
 * map_new_virtual, the wrap-around flush with its TLB shootdown and, with mappings held, the
 * sleep for a free slot. Every page carries a stamp (its index + 1) in word 0, against which
 * reads through a mapping are checked.
 */
@State(Scope.Benchmark)
public class PoolMachine extends ProfiledMachine {

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

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        setUp(params.getThreads());
    }

    /** Builds the machine with {@code cpus} CPUs and stamps every page. */
    void setUp(int cpus) {
        int slots = Profile.parse(profile).lastPkmap();
        build(config().highmemPages(pressure.pages(slots)), cpus);
        for (int k = 0; k < machine.highPageCount(); k++) {
            Page p = machine.highPage(k);
            p.payload()[0] = stamp(p);
        }
    }

    /**
     * Starts every iteration from the same window: kmap_flush_unused as CPU 0 frees every slot
     * no one holds, so no iteration inherits the previous one's cursor luck. Runs while no
     * worker is inside an operation, so CPU 0 is free to enter.
     */
    @Setup(Level.Iteration)
    public void emptyWindow() {
        try (Cpu.Scope s = machine.cpu(0).enter()) {
            machine.pkmap().kmapFlushUnused(s.cpu());
        }
    }

    /** Returns {@code word} if it is {@code page}'s stamp; throws if a mapping read another page. */
    static int checkStamp(Page page, int word) {
        if (word != stamp(page)) {
            throw new IllegalStateException("read " + word + " through a mapping of " + page
                    + " whose stamp is " + stamp(page) + ": the mapping translated to another page");
        }
        return word;
    }

    private static int stamp(Page page) {
        return page.index() + 1;
    }
}
