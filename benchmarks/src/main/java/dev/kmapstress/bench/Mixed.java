package dev.kmapstress.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A mixed workload: a configurable share of the uses of a page go through the persistent
 * window (kmap/kunmap, serialised by kmap_lock), the rest through kmap_local, each with a
 * verified read through the mapping, over a pool as large as the window.
 */
public class Mixed extends MatrixDefaults {

    /** The pool and the persistent share, in percent of operations. */
    @State(Scope.Benchmark)
    public static class MixedMachine extends PagePool {
        @Param({"10", "50", "90"})
        public int persistentPercent;

        @Override
        protected int pages(int slots) {
            return slots;
        }
    }

    /** A walker that spreads its persistent uses evenly (no random draw on the hot path). */
    public static class MixedWalker extends Walker {
        private int credit;

        @Setup(Level.Trial)
        public void setUp(MixedMachine m, ThreadParams threads) {
            place(m.machine(), threads);
        }

        /** Whether the next use is persistent: exactly {@code percent} of every 100 are. */
        boolean nextIsPersistent(int percent) {
            credit += percent;
            if (credit >= 100) {
                credit -= 100;
                return true;
            }
            return false;
        }
    }

    /**
     * One use of the next page, persistent or local by the share; compared with
     * {@code KmapHigh.poolRoundTrip} (all persistent) and {@code KmapLocal.localRoundTrip}.
     */
    @Benchmark
    public int mixed(MixedMachine m, MixedWalker w) {
        return w.useNextPage(m.machine(), w.nextIsPersistent(m.persistentPercent));
    }
}
