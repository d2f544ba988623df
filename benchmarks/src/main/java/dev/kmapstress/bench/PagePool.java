package dev.kmapstress.bench;

import dev.kmapstress.machine.Cpu;
import dev.kmapstress.machine.Page;
import dev.kmapstress.machine.Profile;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A machine with a pool of highmem pages sized against the PKMAP window (by
 * {@link #pages(int)}), walked by {@link Walker}s. Every page carries a stamp (its index + 1)
 * in word 0, against which reads through a mapping are checked, and every iteration starts
 * from the same window.
 */
@State(Scope.Benchmark)
public abstract class PagePool extends ProfiledMachine {

    /** How many highmem pages the pool has for a window of {@code slots}. */
    protected abstract int pages(int slots);

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        setUp(params.getThreads());
    }

    /** Builds the machine with {@code cpus} CPUs and stamps every page. */
    void setUp(int cpus) {
        int slots = Profile.parse(profile).lastPkmap();
        build(config().highmemPages(pages(slots)), cpus);
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
